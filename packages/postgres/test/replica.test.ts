/**
 * Reads that may be stale on a real streaming replica: a hot standby of the
 * server, made with `pg_basebackup -R` and streaming from it (CI starts one
 * with `.ci/standby` and sets STANDBY_URL). Store-only behaviour: the memory
 * store has no replica.
 *
 * The whole conformance suite runs with `readPool` on the standby. The
 * writing pool's sessions use `synchronous_commit = remote_apply`, so a commit
 * returns once the standby has applied it and a dashboard read right after a
 * write sees it (the suite asserts exact figures). A standby refuses every
 * write, so a write sent to the read pool would fail the suite.
 */
import { createManualClock, createOnehop } from '@onehop/core';
import { runConformanceSuite } from '@onehop/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { DATABASE_URL, NO_STANDBY_REASON, type ServerDatabase, STANDBY_URL, serverDatabase, storedStrings } from './databases';

/** A pool on the standby that counts the statements sent through it. */
function countingPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const sent = { count: 0 };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      sent.count++;
      return query(...args);
    };
  });
  return { pool, sent };
}

const run = Boolean(DATABASE_URL && STANDBY_URL);

describe.skipIf(!run)(`postgres with readPool on a streaming standby${run ? '' : `: skipped, ${NO_STANDBY_REASON}`}`, () => {
  let primary: ServerDatabase;
  let standby: ReturnType<typeof countingPool>;
  beforeAll(async () => {
    primary = await serverDatabase('replica', 20, DATABASE_URL, { synchronousCommit: 'remote_apply' });
    standby = countingPool(STANDBY_URL!);
  });
  afterAll(async () => {
    await standby?.pool.end();
    await primary?.dispose();
  });

  it('the read pool is a standby in recovery, and reads that may be stale go there while writes and deciding reads stay on the primary', async () => {
    const { rows } = await standby.pool.query('SELECT pg_is_in_recovery() AS standby');
    expect(rows[0].standby).toBe(true);
    const clock = createManualClock(new Date('2026-03-02T10:00:00Z'));
    const onehop = createOnehop({
      store: createPostgresStore({ pool: primary.pool, readPool: standby.pool, schema: primary.schema }),
      program: { id: 'replica-routing', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
      clock,
    });
    const before = standby.sent.count;
    const { participant: alice } = await onehop.enroll({ userId: 'alice' });
    await onehop.attribute({ refereeId: 'bruno', code: alice.code });
    await onehop.recordPurchase({ eventId: 'p-1', refereeId: 'bruno', amount: 10_000, currency: 'USD', occurredAt: clock.now() });
    await onehop.getBalances('alice');
    // Nothing above may read on the standby: enrolment, attribution, accrual and a balance read decide or write.
    expect(standby.sent.count).toBe(before);

    const overview = await onehop.referrerOverview({ userId: 'alice' });
    expect(overview.balances.pending).toBe(1_000);
    expect(await onehop.listCommissions('alice')).toHaveLength(1);
    expect(standby.sent.count).toBeGreaterThan(before);
  });

  it('a store whose pool is the standby refuses every write with STORE_MISCONFIGURED, naming the standby', async () => {
    const readOnly = createOnehop({
      store: createPostgresStore({ pool: standby.pool, schema: primary.schema }),
      program: { id: 'replica-refuses-writes', currency: 'USD', mode: 'mock' },
    });
    await expect(readOnly.enroll({ userId: 'carla' })).rejects.toMatchObject({ code: 'STORE_MISCONFIGURED', hint: expect.stringContaining('standby') });
  });

  runConformanceSuite({
    name: 'postgres (server, readPool on a streaming standby)',
    createStore: () => createPostgresStore({ pool: primary.pool, readPool: standby.pool, schema: primary.schema }),
    supportsLiveMode: true,
    storedStrings: () => storedStrings((text) => primary.pool.query(text), primary.schema),
    propertyRuns: 10,
  });
});
