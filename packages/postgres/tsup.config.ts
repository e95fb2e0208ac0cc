import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Keep `node:` imports as written: edge bundlers recognise only the prefixed form.
  removeNodeProtocol: false,
  // No shims: the SQL is embedded (src/migration-files.ts). MIGRATIONS_DIR uses
  // import.meta.url, or __filename where a CommonJS build leaves import.meta
  // empty; a shim of __filename in the ES build would break that build when an
  // application bundles it into CommonJS.
  esbuildOptions: (options) => {
    options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
  },
  external: ['@onehop/core'],
});
