import { packageConfig } from '../../vitest.shared.ts';

// PGlite applies every migration to a fresh schema in several tests; on a
// loaded 2-core machine one such test can take longer than vitest's 5 s default.
const config = packageConfig('postgres', { testTimeout: 30_000 });
// The telemetry test loads OpenTelemetry's API and SDK from Node: their ES build, picked
// by the `module` condition, imports files without extensions, which Node refuses.
// Without that condition Node loads their CommonJS build.
config.ssr = { resolve: { conditions: ['dev-source', 'node', 'development|production'] } };

export default config;
