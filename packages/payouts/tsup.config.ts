import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per provider, so an application loads only the adapter it uses.
  entry: {
    index: 'src/index.ts',
    'paypal/index': 'src/paypal/index.ts',
    'sepa/index': 'src/sepa/index.ts',
    'stripe-connect/index': 'src/stripe-connect/index.ts',
    'store-credit/index': 'src/store-credit/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Keep `node:` imports as written: edge bundlers recognise only the prefixed form.
  removeNodeProtocol: false,
  // The Stripe adapter only names the client's types: the application passes its own client.
  external: ['@onehop/core', 'sepa', 'stripe'],
});
