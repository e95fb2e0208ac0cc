import { packageConfig } from '../../vitest.shared.ts';

export default packageConfig('example-web-app', { testTimeout: 60_000 });
