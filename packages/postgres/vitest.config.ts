import { packageConfig } from '../../vitest.shared.ts';

// PGlite applies every migration to a fresh schema in several tests; on a
// loaded 2-core machine one such test can take longer than vitest's 5 s default.
export default packageConfig('postgres', { testTimeout: 30_000 });
