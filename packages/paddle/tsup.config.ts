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
  external: ['@onehop/core', '@paddle/paddle-node-sdk'],
});
