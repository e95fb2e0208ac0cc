/**
 * Chromium for the browser tests of every package and example: Debian's
 * chromium driven by playwright-core. Where it is missing the tests are
 * skipped with the reason printed; in CI a missing browser is a failure.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether Chromium is here; prints why not, or throws in CI. `suite` names the tests for the message. */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `no Chromium at ${CHROMIUM} (install it with apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`${suite} must run in CI, but there is ${reason}.`);
  console.warn(`${suite} skipped: ${reason}.`);
  return false;
}

/** Launches headless Chromium with the flags these machines need; `hostRules` maps test host names to 127.0.0.1. */
export function launchChromium(hostRules?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(hostRules ? [`--host-resolver-rules=${hostRules}`] : []),
    ],
  });
}
