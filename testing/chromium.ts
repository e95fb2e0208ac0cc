/**
 * Chromium for the browser tests of every package and example, driven by
 * playwright-core: `CHROMIUM_PATH`, else the usual install locations of
 * Chromium and Chrome on Linux and macOS (`testing/environment.ts`). Where
 * there is none the tests are skipped (the reason is printed once per run by
 * `testing/global-setup.ts`); in CI a missing browser is a failure.
 */
import { type Browser, chromium } from 'playwright-core';
import { findChromium, noChromiumReason } from './environment';

const CHROMIUM = findChromium();

/** Whether a browser was found; throws in CI when none was. `suite` names the tests for the message. */
export function chromiumAvailable(suite: string): boolean {
  if (CHROMIUM !== undefined) return true;
  if (process.env.CI) throw new Error(`${suite} must run in CI, but ${noChromiumReason()}`);
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
