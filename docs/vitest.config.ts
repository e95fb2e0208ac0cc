import { packageConfig } from '../vitest.shared.ts';

export default packageConfig('docs', { testTimeout: 120_000 });
