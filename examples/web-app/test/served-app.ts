/**
 * The app served on 127.0.0.1 for the browser tests, reached as
 * hopshop.test (so cookies behave as on a real domain), and the Chromium
 * that visits it.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../testing/chromium';
import { startTestApp, type TestApp } from './helpers';

/** Where the browser tests write their screenshots; CI lists the PNGs there. */
export const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);

export interface ServedApp {
  t: TestApp;
  browser: Browser;
  /** The app's origin, e.g. http://hopshop.test:41234. */
  site: string;
  close(): Promise<void>;
}

export async function serveTestApp(options: Parameters<typeof startTestApp>[0] = {}): Promise<ServedApp> {
  // The server starts first, so the pretend checkout knows where to post its webhooks.
  let app: TestApp['app'] | undefined;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const t = await startTestApp({ ...options, webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe` });
  app = t.app;
  const browser = await launchChromium('MAP hopshop.test 127.0.0.1');
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    t,
    browser,
    site: `http://hopshop.test:${port}`,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
