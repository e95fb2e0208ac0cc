/** A running copy of the app for the tests: PGlite in memory, seeded or not. */

import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createOnehop, type Onehop, type ProgramConfigInput } from '@onehop/core';
import type { Hono } from 'hono';
import { createApp } from '../src/app';
import { type Database, openDatabase } from '../src/database';
import { demoProgram } from '../src/program';

export const SECRETS = {
  stripeWebhookSecret: 'whsec_onehop_example_test_secret',
  sessionSecret: 'test-session-secret-0123456789abcdef',
  adminToken: 'test-admin-token-0123456789',
};

export interface TestApp {
  app: Hono;
  db: Database;
  /** An engine on the app's store, for what the pages do not offer (sending an invitation); it has no authorize hook. */
  onehop: Onehop;
  /** The program the app runs. */
  program: ProgramConfigInput;
  /** Counts rows in onehop's and the app's tables, as written. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { holdingDays?: number; dataDir?: string; webhookUrl?: string; welcomeReward?: number; timeZone?: string } = {},
): Promise<TestApp> {
  const db = await openDatabase({ dataDir: options.dataDir });
  // No welcome reward unless a test asks for one: the flows that count commissions count the referrer's alone.
  const program = demoProgram({
    holdingDays: options.holdingDays ?? 14,
    hashKey: 'web-app-test-hash-key-0123456789abcdef',
    welcomeReward: options.welcomeReward ?? null,
    timeZone: options.timeZone,
  });
  const app = createApp({ db, program, ...SECRETS, ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}), ip: (c) => c.req.header('x-test-ip') ?? null });
  return {
    app,
    db,
    onehop: createOnehop({ store: db.store, program }),
    program,
    count: async (table) => Number(((await db.sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0] as { n: number }).n),
    close: () => db.close(),
  };
}

/**
 * The app served on 127.0.0.1 on a free port, for a browser or for the
 * pretend checkout (which posts its webhooks to the app over HTTP). The
 * server starts first, so the app knows where to post them.
 */
export async function serveTestApp(options: Omit<Parameters<typeof startTestApp>[0], 'webhookUrl'> = {}): Promise<TestApp & { port: number }> {
  let app: Hono | undefined;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const t = await startTestApp({ ...options, webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe` });
  app = t.app;
  return {
    ...t,
    port,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

/** Posts a form the way a browser does, with the cookies given. */
export function postForm(app: Hono, path: string, form: Record<string, string>, cookie = ''): Promise<Response> {
  return Promise.resolve(
    app.request(path, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } }),
  );
}

/** The cookies a response sets, as a Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}
