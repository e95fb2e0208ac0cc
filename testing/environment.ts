/**
 * What this machine offers the tests, and why the tests that need what it
 * lacks are skipped: one place for the reasons, printed once per run by
 * `testing/global-setup.ts` and used in the skipped tests' titles. In CI a
 * missing server or browser fails the run instead (`.ci/run` sets them up).
 */
import { existsSync } from 'node:fs';

export const DATABASE_URL = process.env.DATABASE_URL;

export const NO_SERVER_REASON =
  'DATABASE_URL is not set: the Postgres conformance suite runs on PGlite only; the concurrency tests need a real server (set DATABASE_URL=postgres://…).';

export const PGBOUNCER_URL = process.env.PGBOUNCER_URL;

export const NO_POOLER_REASON =
  'PGBOUNCER_URL is not set: the tests through a connection pooler in transaction mode skip (start one with .ci/pgbouncer, then set PGBOUNCER_URL=postgres://onehop:onehop@127.0.0.1:6432/onehop_test).';

export const STANDBY_URL = process.env.STANDBY_URL;

export const NO_STANDBY_REASON =
  'STANDBY_URL is not set: the tests with readPool on a streaming replica skip (start one with .ci/standby, then set STANDBY_URL=postgres://onehop:onehop@127.0.0.1:5433/onehop_test).';

/** Where Chromium and Chrome are installed by Debian and Ubuntu packages, snap, Google's packages, and on macOS. */
export const CHROMIUM_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
] as const;

/** The browser the tests drive: `CHROMIUM_PATH` if set, else the first of `CHROMIUM_LOCATIONS` that exists, else undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | undefined {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return CHROMIUM_LOCATIONS.find((path) => exists(path));
}

/** Why the browser tests skip, or undefined when a browser was found. */
export function noChromiumReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (findChromium(env)) return undefined;
  const looked = env.CHROMIUM_PATH ? `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist` : `no Chromium or Chrome at ${CHROMIUM_LOCATIONS.join(', ')}`;
  return `${looked}: the browser tests skip (install one, e.g. apt-get install -y chromium, or set CHROMIUM_PATH).`;
}
