import { packageConfig } from '../../vitest.shared';

export default packageConfig('example-web-app', { testTimeout: 60_000 });
