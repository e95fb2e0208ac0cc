import { defineConfig } from 'tsup';
import { SNIPPET_ENTRY, SNIPPET_TARGET, SNIPPET_TSCONFIG } from './scripts/snippet';

export default defineConfig([
  // The ES module of the snippet: browser code, no runtime dependency (the
  // code rules of @onehop/core/codes are bundled in).
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    platform: 'browser',
    target: SNIPPET_TARGET,
    noExternal: ['@onehop/core/codes'],
  },
  // Server helpers: @onehop/core is a peer dependency, needed by the click
  // handler only. The code rules (@onehop/core/codes) are bundled in, so
  // readReferral runs without core installed, in middleware and on the edge.
  {
    entry: { server: 'src/server.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    platform: 'neutral',
    target: 'es2022',
    external: ['@onehop/core'],
    noExternal: ['@onehop/core/codes'],
    // Keep `node:` imports as written: edge bundlers recognise only the prefixed form.
    removeNodeProtocol: false,
  },
  // The <script src> build.
  {
    entry: { 'onehop.min': SNIPPET_ENTRY },
    format: ['iife'],
    minify: true,
    platform: 'browser',
    target: SNIPPET_TARGET,
    noExternal: ['@onehop/core/codes'],
    outExtension: () => ({ js: '.js' }),
    esbuildOptions: (options) => {
      delete options.tsconfig;
      options.tsconfigRaw = SNIPPET_TSCONFIG;
      // The code rules come from @onehop/core's source, as in the size test's build: the
      // published snippet is then the tested one, whatever order core's build puts its chunks in.
      options.conditions = ['dev-source'];
    },
  },
]);
