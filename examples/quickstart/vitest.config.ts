import { packageConfig } from '../../vitest.shared';

export default packageConfig('example-quickstart');
