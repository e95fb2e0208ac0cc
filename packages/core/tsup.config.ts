import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'codes/index': 'src/codes/index.ts' },
  dts: true,
  sourcemap: true,
  target: 'es2022',
  external: ['vitest', 'fast-check', '@onehop/core'],
  // The SHA-256 for runtimes without node:crypto is bundled in: loading its
  // modules from node_modules at every cold start would cost more than the
  // engine's own hashing code (see docs/benchmarks.md, cold start).
  noExternal: ['@noble/hashes'],
  // Keep `node:crypto` as written: edge bundlers recognise only the prefixed form.
  removeNodeProtocol: false,
};

// `build` empties dist/ first: the two builds write there side by side.
export default defineConfig([
  { ...shared, format: ['esm'] },
  // nanoid is published as an ES module only: bundled into the CommonJS build,
  // which then loads with require() on Nodes without require(esm) (before
  // 20.19 and 22.12, or with --no-experimental-require-module, as in Jest).
  // `shims` gives the CommonJS build the `import.meta.url` the disposable-domain check loads its list from.
  { ...shared, format: ['cjs'], noExternal: ['nanoid', '@noble/hashes'], shims: true },
]);
