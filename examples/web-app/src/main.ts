/**
 * Starts the reference app on Node: `pnpm --filter @onehop/example-web-app start`.
 * PORT (default 3000), DATABASE_URL (default: PGlite in ./data),
 * STRIPE_WEBHOOK_SECRET (default: the pretend checkout's test secret).
 */
import { serve } from '@hono/node-server';
import { createOnehop } from '@onehop/core';
import { createApp } from './app';
import { openStore } from './store';

const port = Number(process.env.PORT ?? 3000);
const opened = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: new URL('../data', import.meta.url).pathname });
const onehop = createOnehop({
  store: opened.store,
  program: { id: 'web-app', currency: 'USD', mode: 'mock', commission: { holdingDays: 14, rule: { type: 'percentage', rateBps: 2000, scope: { type: 'lifetime' } } } },
});
const app = createApp({ onehop, stripeWebhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_onehop_example_test_secret' });
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`onehop reference app on http://127.0.0.1:${info.port} (${opened.description})`);
});
const shutdown = () => server.close(() => void opened.close().then(() => process.exit(0)));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
