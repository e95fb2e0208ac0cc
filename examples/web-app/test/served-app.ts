/**
 * The app served on 127.0.0.1 for the browser tests, reached as
 * hopshop.test (so cookies behave as on a real domain), and the Chromium
 * that visits it.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../testing/chromium';
import { serveTestApp as serveApp, type TestApp } from './helpers';

/** Where the browser tests write their screenshots; CI lists the PNGs there. */
export const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);

export interface ServedApp {
  t: TestApp;
  browser: Browser;
  /** The app's origin, e.g. http://hopshop.test:41234. */
  site: string;
  close(): Promise<void>;
}

export async function serveTestApp(options: Parameters<typeof serveApp>[0] = {}): Promise<ServedApp> {
  const served = await serveApp(options);
  const browser = await launchChromium('MAP hopshop.test 127.0.0.1');
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    t: served,
    browser,
    site: `http://hopshop.test:${served.port}`,
    close: async () => {
      await browser.close();
      await served.close();
    },
  };
}
