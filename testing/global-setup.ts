/**
 * Runs once per `vitest` run, before any test file: prints why the tests that
 * need a missing server or browser are skipped, once, instead of once per
 * test file that would skip.
 */
import { DATABASE_URL, NO_POOLER_REASON, NO_SERVER_REASON, NO_STANDBY_REASON, noChromiumReason, PGBOUNCER_URL, STANDBY_URL } from './environment';

export default function setup(): void {
  const notes = [
    DATABASE_URL ? undefined : NO_SERVER_REASON,
    PGBOUNCER_URL ? undefined : NO_POOLER_REASON,
    STANDBY_URL ? undefined : NO_STANDBY_REASON,
    noChromiumReason(),
  ].filter((note) => note !== undefined);
  for (const note of notes) console.warn(`[onehop tests] ${note}`);
}
