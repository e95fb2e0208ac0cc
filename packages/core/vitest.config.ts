import { packageConfig } from '../../vitest.shared.ts';

const config = packageConfig('core');
// The telemetry tests load OpenTelemetry's SDK from Node: its ES build, picked by
// the `module` condition, imports files without extensions, which Node refuses.
// Without that condition Node loads its CommonJS build.
config.ssr = { resolve: { conditions: ['dev-source', 'node', 'development|production'] } };

export default config;
