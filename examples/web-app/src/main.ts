/**
 * Starts the reference app on Node: `pnpm --filter @onehop/example-web-app start`.
 *
 * - PORT (default 3000)
 * - DATABASE_URL (default: PGlite in ./data)
 * - ADMIN_TOKEN (default: a new random token each start, printed below)
 * - SESSION_SECRET (default: a new random secret each start: sessions end on restart)
 * - STRIPE_WEBHOOK_SECRET (default: the pretend checkout's test secret)
 * - HOLDING_DAYS (default 14)
 * - ONEHOP_HASH_KEY (keys the visitors' IP hashes; default: a demo key)
 * - TIME_ZONE (the program's time zone, e.g. Europe/Berlin; default UTC)
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createOnehop } from '@onehop/core';
import { createApp } from './app';
import { openDatabase } from './database';
import { demoProgram } from './program';
import { DEMO_LOGIN, seedDemoData } from './seed';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const secret = (value: string | undefined) => value ?? randomBytes(24).toString('base64url');
const adminToken = secret(env.ADMIN_TOKEN);
const program = demoProgram({
  holdingDays: env.HOLDING_DAYS === undefined ? undefined : Number(env.HOLDING_DAYS),
  // Keys the IP hashes the fraud rules compare: keep it stable across restarts.
  hashKey: env.ONEHOP_HASH_KEY ?? 'hopshop-demo-hash-key-change-me-in-production',
  timeZone: env.TIME_ZONE,
});

const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: new URL('../data', import.meta.url).pathname });
const seeded = await seedDemoData(db, program);
const app = createApp({
  db,
  program,
  stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET ?? 'whsec_onehop_example_test_secret',
  sessionSecret: secret(env.SESSION_SECRET),
  adminToken,
  ip: (c) => getConnInfo(c).remote.address ?? null,
});

// What a production app runs on a schedule: approvals after the holding period, invitation expiry.
const onehop = createOnehop({ store: db.store, program });
const timer = setInterval(() => void onehop.approveDue().catch((error) => console.error('approveDue failed', error)), 60_000);

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`Hopshop, the onehop reference app, on http://127.0.0.1:${info.port} (${db.description}; ${onehop.mode} mode)`);
  if (seeded) console.log(`Demo data seeded: sign in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  console.log(`Admin pages: http://127.0.0.1:${info.port}/admin with the token ${env.ADMIN_TOKEN ? '(ADMIN_TOKEN)' : adminToken}`);
});
const shutdown = () => {
  clearInterval(timer);
  server.close(() => void db.close().then(() => process.exit(0)));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
