/**
 * On a pool, a new purchase's write set is one statement sent without BEGIN
 * and COMMIT: it commits by itself (postgres-store.ts, send-alone.ts). A call
 * that gives up on it must still write nothing: when the pool's
 * `query_timeout` runs out while the statement waits for a row lock, the
 * store cancels it on the server and reports STORE_TIMEOUT only once the
 * server confirmed it did not run, so releasing the lock afterwards commits
 * nothing. Inside the application's own transaction the apply runs in it,
 * and a call that gives up leaves it to that transaction's rollback.
 * Store-only (the memory store has no connections or time limits);
 * on the real server directly and through PgBouncer in transaction mode
 * (where the cancel request goes through the pooler). Each target skips
 * without its URL and says why.
 */
import { createManualClock, createOnehop, isOnehopError } from '@onehop/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { DATABASE_URL, SERVER_TARGETS, type ServerDatabase, serverDatabase } from './databases';

const CLOCK = '2026-03-01T12:00:00.000Z';
const PURCHASE = { refereeId: 'bob', amount: 10_000, currency: 'USD', occurredAt: new Date(CLOCK) };
let programs = 0;

for (const target of SERVER_TARGETS.filter((t) => !t.applicationRole)) {
  describe.skipIf(!target.url || !DATABASE_URL)(`an apply sent alone, ${target.name}${target.url ? '' : `: skipped, ${target.skipReason}`}`, () => {
    let db: ServerDatabase;
    beforeAll(async () => {
      // The schema is set up and inspected directly on the server; the calls under test go through the target.
      db = await serverDatabase('apply_alone', 4, DATABASE_URL);
    });
    afterAll(async () => {
      await db?.dispose();
    });

    function engine(pool: pg.Pool, id: string) {
      return createOnehop({
        store: createPostgresStore({ pool, schema: db.schema, preparedStatements: target.preparedStatements }),
        clock: createManualClock(CLOCK),
        program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
      });
    }

    const count = async (table: string, programId: string) =>
      Number((await db.pool.query(`SELECT count(*) AS n FROM "${db.schema}".${table} WHERE program_id = $1`, [programId])).rows[0].n);

    /** Waits until no statement of this schema's write sets runs on the server (one that waited for a lock has committed or stopped). */
    async function noApplyRunning(): Promise<void> {
      for (;;) {
        const { rows } = await db.pool.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'WITH g AS (%' AND position($1 in query) > 0 AND pid <> pg_backend_pid()",
          [`"${db.schema}".`],
        );
        if (rows[0].n === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it("a new purchase is two statements; when the pool's query_timeout runs out while its apply waits for a lock, it is cancelled: STORE_TIMEOUT, and releasing the lock writes nothing", async () => {
      const id = `alone-${Date.now().toString(36)}-${++programs}`;
      const setup = engine(db.pool, id);
      const { participant } = await setup.enroll({ userId: 'alice' });
      await setup.attribute({ refereeId: 'bob', code: participant.code });
      await setup.attribute({ refereeId: 'carol', code: participant.code });

      const pool = new pg.Pool({ connectionString: target.url, max: 1, query_timeout: 400 });
      pool.on('error', () => undefined);
      const sent: string[] = [];
      pool.on('connect', (client) => {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
          const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
          sent.push(text.startsWith('WITH g AS (') ? 'apply' : text.includes('AS p_version') ? 'read' : text.split(/\s/, 1)[0]!.toUpperCase());
          return query(...args);
        };
      });
      const holder = new pg.Client({ connectionString: DATABASE_URL });
      holder.on('error', () => undefined);
      await holder.connect();
      try {
        const onehop = engine(pool, id);
        const carol = await onehop.recordPurchase({ ...PURCHASE, refereeId: 'carol', eventId: 'pi_carol' });
        expect(carol).toMatchObject({ status: 'recorded', replayed: false });
        expect(sent).toEqual(['read', 'apply']);

        // A transaction outside onehop holds alice's row (without changing it, so the purchase's guard still holds once it ends).
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM "${db.schema}".participants WHERE program_id = $1 AND user_id = 'alice' FOR UPDATE`, [id]);
        const error = await onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_bob' }).then(
          () => expect.fail('expected STORE_TIMEOUT, the call succeeded'),
          (e: unknown) => e,
        );
        if (!isOnehopError(error)) throw new Error(`a raw error left the public call: ${String(error)}`, { cause: error });
        expect({ code: error.code, retryable: error.retryable }).toEqual({ code: 'STORE_TIMEOUT', retryable: true });
        await holder.query('ROLLBACK');
        // Had the statement kept waiting, it would commit now that the lock is free.
        await noApplyRunning();
        expect(await count('source_events', id)).toBe(1); // carol's purchase and nothing else
        expect(await count('commissions', id)).toBe(1);
        expect(await count('ledger_entries', id)).toBe(1);
        expect(error.hint).toMatch(/Nothing was written/);

        // The caller's retry records it, once.
        const retried = await onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_bob' });
        expect(retried).toMatchObject({ status: 'recorded', replayed: false });
        expect(await count('commissions', id)).toBe(2);
      } finally {
        await holder.end().catch(() => undefined);
        await pool.end();
      }
    });

    it("inside the application's own transaction the apply runs in it: a call that gives up on query_timeout is STORE_TIMEOUT, and the transaction, rolled back, wrote nothing", async () => {
      const id = `alone-own-${Date.now().toString(36)}-${++programs}`;
      const setup = engine(db.pool, id);
      const { participant } = await setup.enroll({ userId: 'alice' });
      await setup.attribute({ refereeId: 'bob', code: participant.code });
      const client = new pg.Client({ connectionString: target.url, query_timeout: 400 });
      client.on('error', () => undefined);
      await client.connect();
      const holder = new pg.Client({ connectionString: DATABASE_URL });
      holder.on('error', () => undefined);
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM "${db.schema}".participants WHERE program_id = $1 AND user_id = 'alice' FOR UPDATE`, [id]);
        await client.query('BEGIN');
        const onehop = createOnehop({
          store: createPostgresStore({ client, schema: db.schema }),
          clock: createManualClock(CLOCK),
          program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
        });
        const error = await onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_bob' }).then(
          () => expect.fail('expected STORE_TIMEOUT, the call succeeded'),
          (e: unknown) => e,
        );
        expect(isOnehopError(error) && { code: error.code, retryable: error.retryable }).toEqual({ code: 'STORE_TIMEOUT', retryable: true });
        // The application rolls its transaction back; the driver sends ROLLBACK once the waiting statement has ended.
        const rolledBack = client.query('ROLLBACK').catch(() => undefined);
        await holder.query('ROLLBACK');
        await rolledBack;
        await noApplyRunning();
        expect(await count('source_events', id)).toBe(0);
        expect(await count('commissions', id)).toBe(0);
      } finally {
        await holder.end().catch(() => undefined);
        await client.end().catch(() => undefined);
      }
    });
  });
}
