import { packageConfig } from '../vitest.shared';

export default packageConfig('docs', { testTimeout: 120_000 });
