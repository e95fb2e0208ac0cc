import { packageConfig } from '../../vitest.shared.ts';

// PGlite's first migration takes seconds on a busy machine: the limit only stops a hung test.
export default packageConfig('stripe', { testTimeout: 60_000 });
