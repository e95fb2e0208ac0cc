/**
 * Every way the database can fail a call, provoked for real on the server in
 * DATABASE_URL through the public API (createOnehop + createPostgresStore,
 * migrate): lock and statement timeouts, a transaction left idle, a backend
 * terminated mid-call, a deadlock, a serialisation failure, refused
 * credentials, a missing database or role, a missing privilege. Each must
 * reach the caller as an onehop error with the right `code`, `retryable` flag
 * and a hint, and write nothing. This is a store-only behaviour (the memory
 * store has no database to fail), so it lives in this package. It needs a
 * real server; without DATABASE_URL it skips and says why (in CI a missing
 * server fails instead, see databases.ts).
 */

import { PGlite } from '@electric-sql/pglite';
import { createManualClock, createOnehop, type FraudRule, isOnehopError, type OnehopError, type ProgramConfigInput, type Store } from '@onehop/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, type PoolLike, type SqlClient } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, type ServerDatabase, serverDatabase, uniqueSchema } from './databases';

let programs = 0;
const PURCHASE = { refereeId: 'bob', amount: 10_000, currency: 'USD', occurredAt: new Date('2026-03-01T12:00:00Z') };

/** What the caller receives: an onehop error (never a raw driver error) with this code, retryable flag and a hint. */
async function expectOnehopError(call: Promise<unknown>, code: string, retryable: boolean): Promise<OnehopError> {
  const error = await call.then(
    () => expect.fail(`expected ${code}, the call succeeded`),
    (e: unknown) => e,
  );
  if (!isOnehopError(error)) throw new Error(`a raw error left the public call: ${String(error)}`, { cause: error });
  expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
  expect(error.hint ?? '').not.toBe('');
  return error;
}

describe.skipIf(!DATABASE_URL)(`database failures are onehop errors (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let db: ServerDatabase;
  const opened: { end(): Promise<void> }[] = [];
  beforeAll(async () => {
    db = await serverDatabase('errors', 4);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.end().catch(() => undefined)));
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** A pool of the store's own, with server settings (time limits) and an application name to find its backends by. */
  function storePool(config: pg.PoolConfig = {}): pg.Pool {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2, ...config });
    // Without a listener, an idle client the server drops would crash the process.
    pool.on('error', () => undefined);
    opened.push(pool);
    return pool;
  }

  /** A second connection, outside onehop, that holds locks. */
  async function holder(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    opened.push(client);
    return client;
  }

  function engine(pool: PoolLike | { client: SqlClient }, options: { rules?: FraudRule[]; maxRetries?: number; id?: string } = {}) {
    const id = options.id ?? `er-${Date.now().toString(36)}-${++programs}`;
    const program: ProgramConfigInput = { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } };
    const store = 'client' in pool ? createPostgresStore({ client: pool.client, schema: db.schema }) : createPostgresStore({ pool, schema: db.schema });
    // Counts the transactions the engine runs: a retry by the engine is a second one.
    const runs = { count: 0 };
    const counted: Store = {
      capabilities: store.capabilities,
      transaction: (fn) => {
        runs.count++;
        return store.transaction(fn);
      },
    };
    const onehop = createOnehop({
      store: counted,
      clock: createManualClock('2026-03-01T12:00:00.000Z'),
      program,
      ...(options.rules ? { fraud: { rules: options.rules } } : {}),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    });
    return { onehop, id, runs };
  }

  /** A program where alice referred bob, set up on the test's main pool. */
  async function referred() {
    const setup = engine(db.pool);
    const { participant } = await setup.onehop.enroll({ userId: 'alice' });
    await setup.onehop.attribute({ refereeId: 'bob', code: participant.code });
    return setup.id;
  }

  async function count(table: string, programId: string): Promise<number> {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".${table} WHERE program_id = $1`, [programId]);
    return (rows[0] as { n: number }).n;
  }

  /** Nothing of a purchase was written: no source event, no commission, no ledger entry. */
  async function expectNoPurchaseWritten(programId: string) {
    expect(await count('source_events', programId)).toBe(0);
    expect(await count('commissions', programId)).toBe(0);
    expect(await count('ledger_entries', programId)).toBe(0);
  }

  /** Locks alice's participant row from a connection outside onehop, as a long transaction would. */
  async function lockReferrer(programId: string): Promise<pg.Client> {
    const other = await holder();
    await other.query('BEGIN');
    await other.query(`SELECT 1 FROM "${db.schema}".participants WHERE program_id = $1 AND user_id = 'alice' FOR UPDATE`, [programId]);
    return other;
  }

  /** Waits until a backend of `applicationName` waits for a lock; returns its pid. */
  async function waitingBackend(applicationName: string): Promise<number> {
    for (;;) {
      const { rows } = await db.pool.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [applicationName]);
      if (rows.length > 0) return (rows[0] as { pid: number }).pid;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  describe('time limits: STORE_TIMEOUT, retryable, not retried by the engine', () => {
    const limits: { name: string; config: pg.PoolConfig; hint: RegExp }[] = [
      { name: 'a row lock not granted within lock_timeout (55P03)', config: { lock_timeout: 100 }, hint: /lock_timeout/ },
      { name: 'a statement running past statement_timeout (57014)', config: { statement_timeout: 100 }, hint: /statement_timeout/ },
      // The driver's own limit leaves the connection busy, so it is discarded: with max 1, the retry needs a new one.
      { name: "the pool's query_timeout, which the driver enforces", config: { query_timeout: 100, max: 1 }, hint: /query_timeout/ },
    ];
    for (const limit of limits) {
      it(`${limit.name}; the caller's retry succeeds once the lock is released`, async () => {
        const id = await referred();
        const other = await lockReferrer(id);
        const { onehop, runs } = engine(storePool(limit.config), { id });
        const error = await expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'STORE_TIMEOUT', true);
        expect(error.hint).toMatch(limit.hint);
        expect(runs.count).toBe(1); // the engine left the retry to the caller
        await other.query('ROLLBACK');
        await expectNoPurchaseWritten(id);
        const retried = await onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' });
        expect(retried.status === 'recorded' && !retried.replayed).toBe(true);
        expect(await count('commissions', id)).toBe(1);
      });
    }

    it('a statement cancelled by pg_cancel_backend (57014)', async () => {
      const id = await referred();
      const other = await lockReferrer(id);
      const name = uniqueSchema('onehop_cancel');
      const { onehop } = engine(storePool({ application_name: name }), { id });
      // The expectation holds the call's promise from the start, so its rejection is never unhandled.
      const failed = expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'STORE_TIMEOUT', true);
      await db.pool.query('SELECT pg_cancel_backend($1)', [await waitingBackend(name)]);
      await failed;
      await expectNoPurchaseWritten(id);
      await other.query('ROLLBACK');
    });

    it("no connection free within the pool's connectionTimeoutMillis", async () => {
      const id = await referred();
      const pool = storePool({ max: 1, connectionTimeoutMillis: 50 });
      // The pool's one connection, held: opening it may itself take longer than 50 ms on a loaded machine, so try again.
      let busy: pg.PoolClient | undefined;
      while (!busy) busy = await pool.connect().catch(() => undefined);
      try {
        const { onehop } = engine(pool, { id });
        const error = await expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'STORE_TIMEOUT', true);
        expect(error.hint).toMatch(/connectionTimeoutMillis/);
        await expectOnehopError(migrate({ pool, schema: db.schema }), 'STORE_TIMEOUT', true);
      } finally {
        busy.release();
      }
      await expectNoPurchaseWritten(id);
    });

    // The store never idles in a transaction by itself; a fraud rule of the application that awaits something slow
    // (an outside fraud service) inside the call does, after the referrer is locked.
    const slowRule: FraudRule = {
      name: 'slow_outside_service',
      check: (input) => (input.stage === 'accrual' ? new Promise((resolve) => setTimeout(() => resolve(null), 500)) : null),
    };

    it('a transaction idle past idle_in_transaction_session_timeout (25P03), on a pool', async () => {
      const id = await referred();
      const pool = storePool({ idle_in_transaction_session_timeout: 100 });
      const { onehop, runs } = engine(pool, { id, rules: [slowRule] });
      const error = await expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'STORE_TIMEOUT', true);
      expect(error.hint).toMatch(/idle_in_transaction_session_timeout/);
      expect(runs.count).toBe(1);
      await expectNoPurchaseWritten(id);
      // The dead connection was discarded: the same pool serves the next call.
      const fast = engine(pool, { id });
      const retried = await fast.onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' });
      expect(retried.status).toBe('recorded');
    });

    it('a transaction idle past idle_in_transaction_session_timeout (25P03), inside your own transaction', async () => {
      const id = await referred();
      const client = await storePool({ idle_in_transaction_session_timeout: 100 }).connect();
      try {
        await client.query('BEGIN');
        const { onehop } = engine({ client }, { id, rules: [slowRule] });
        const error = await expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'STORE_TIMEOUT', true);
        expect(error.hint).toMatch(/idle_in_transaction_session_timeout/);
      } finally {
        client.release(true);
      }
      await expectNoPurchaseWritten(id);
    });
  });

  it('a backend terminated mid-call (57P01) is STORE_CONNECTION_LOST, retryable', async () => {
    const id = await referred();
    const other = await lockReferrer(id);
    const name = uniqueSchema('onehop_terminate');
    const pool = storePool({ application_name: name });
    const { onehop } = engine(pool, { id });
    const failed = expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'STORE_CONNECTION_LOST', true);
    await db.pool.query('SELECT pg_terminate_backend($1)', [await waitingBackend(name)]);
    await failed;
    await other.query('ROLLBACK');
    await expectNoPurchaseWritten(id);
    const retried = await onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' });
    expect(retried.status === 'recorded' && !retried.replayed).toBe(true);
  });

  it('a backend terminated during migrate() (57P01) is STORE_CONNECTION_LOST, and the schema is untouched', async () => {
    const schema = uniqueSchema('errors_migrate');
    // Another instance is migrating the same schema: it holds the migration lock.
    const other = await holder();
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`onehop.migrate.${schema}`]);
    const name = uniqueSchema('onehop_migrate');
    const failed = expectOnehopError(migrate({ pool: storePool({ application_name: name }), schema }), 'STORE_CONNECTION_LOST', true);
    await db.pool.query('SELECT pg_terminate_backend($1)', [await waitingBackend(name)]);
    await failed;
    await other.query('ROLLBACK');
    const { rows } = await db.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    expect(rows).toEqual([]);
  });

  describe('lost races: TRANSACTION_CONFLICT, retryable, retried by the engine first', () => {
    /**
     * Makes the call a deadlock victim: another transaction holds alice's
     * balance row; the call locks alice, then waits for her balance; the other
     * transaction then asks for alice. The call waited first, so its deadlock
     * check runs first and it is the one rolled back.
     */
    async function deadlock(id: string, maxRetries: number) {
      const other = await holder();
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM "${db.schema}".balances WHERE program_id = $1 AND account_id = 'alice' FOR UPDATE`, [id]);
      const name = uniqueSchema('onehop_deadlock');
      const { onehop, runs } = engine(storePool({ application_name: name }), { id, maxRetries });
      const call = onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_2', amount: 5_000 });
      void call.catch(() => undefined);
      await waitingBackend(name);
      // Each waiting backend checks for a deadlock deadlock_timeout (1 s) after it began to wait, and the first
      // to check is the victim. Half a second between the two waits keeps the call first on a loaded machine,
      // where a timer may fire late by more than the few milliseconds a poll takes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await other.query(`SELECT 1 FROM "${db.schema}".participants WHERE program_id = $1 AND user_id = 'alice' FOR UPDATE`, [id]);
      await other.query('ROLLBACK');
      return { call, runs };
    }

    it('a deadlock (40P01) after the engine ran out of retries', async () => {
      const id = await referred();
      await engine(db.pool, { id }).onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' });
      const { call, runs } = await deadlock(id, 0);
      await expectOnehopError(call, 'TRANSACTION_CONFLICT', true);
      expect(runs.count).toBe(1);
      expect(await count('commissions', id)).toBe(1);
      expect(await count('source_events', id)).toBe(1);
    });

    it('a deadlock (40P01) with retries left is run again and recorded once', async () => {
      const id = await referred();
      await engine(db.pool, { id }).onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' });
      const { call, runs } = await deadlock(id, 5);
      const result = await call;
      expect(result.status === 'recorded' && !result.replayed).toBe(true);
      expect(runs.count).toBe(2); // the engine ran it again by itself
      expect(await count('commissions', id)).toBe(2);
    });

    it('a serialisation failure (40001) in your REPEATABLE READ transaction, after the engine ran out of retries', async () => {
      const id = await referred();
      const client = await storePool().connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await client.query(`SELECT count(*) FROM "${db.schema}".participants WHERE program_id = $1`, [id]);
        // Another transaction changes alice's row after this one's snapshot.
        await db.pool.query(`UPDATE "${db.schema}".participants SET updated_at = updated_at WHERE program_id = $1 AND user_id = 'alice'`, [id]);
        const { onehop } = engine({ client }, { id });
        const error = await expectOnehopError(onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' }), 'TRANSACTION_CONFLICT', true);
        expect(error.hint).toMatch(/your transaction/i);
        await client.query('ROLLBACK');
        // Running the whole transaction again succeeds.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        const result = await onehop.recordPurchase({ ...PURCHASE, eventId: 'pi_1' });
        expect(result.status).toBe('recorded');
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await count('commissions', id)).toBe(1);
    });
  });

  it('any other database error (a trigger of your own refusing a row) is STORE_DATABASE_ERROR with its SQLSTATE', async () => {
    await db.pool.query(`CREATE FUNCTION "${db.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by a trigger of the application' USING ERRCODE = 'P0001'; END $$`);
    await db.pool.query(
      `CREATE TRIGGER refuse BEFORE INSERT ON "${db.schema}".participants FOR EACH ROW WHEN (NEW.user_id = 'refused') EXECUTE FUNCTION "${db.schema}".refuse()`,
    );
    const { onehop, id } = engine(db.pool);
    const error = await expectOnehopError(onehop.enroll({ userId: 'refused' }), 'STORE_DATABASE_ERROR', false);
    expect((error as OnehopError & { sqlState: string }).sqlState).toBe('P0001');
    expect(await count('participants', id)).toBe(0);
    expect(await count('codes', id)).toBe(0);
  });

  describe('configuration: STORE_MISCONFIGURED, never retryable, with what to check', () => {
    function url(change: (u: URL) => void): string {
      const u = new URL(DATABASE_URL!);
      change(u);
      return u.toString();
    }

    const cases: { name: string; pool: () => pg.Pool; hint: RegExp }[] = [
      { name: 'a wrong password (28P01)', pool: () => storePool({ connectionString: url((u) => (u.password = 'not-the-password')) }), hint: /password/ },
      // Under password authentication the server does not say whether the role exists (28P01); under trust or peer it does (28000).
      { name: 'an unknown role', pool: () => storePool({ connectionString: url((u) => (u.username = 'onehop_no_such_role')) }), hint: /role/ },
      { name: 'an unknown database (3D000)', pool: () => storePool({ connectionString: url((u) => (u.pathname = '/onehop_no_such_database')) }), hint: /database/ },
      { name: 'a missing password', pool: () => storePool({ connectionString: url((u) => (u.password = '')) }), hint: /password/ },
      // Depending on the server: it offers no TLS, or its certificate is self-signed.
      { name: 'TLS the server cannot give as asked', pool: () => storePool({ ssl: { rejectUnauthorized: true } }), hint: /TLS/ },
      { name: 'a read-only database (25006)', pool: () => storePool({ options: '-c default_transaction_read_only=on' }), hint: /primary/ },
      {
        name: 'a pool closed by the application',
        pool: () => {
          const pool = storePool();
          void pool.end();
          return pool;
        },
        hint: /closed/,
      },
    ];
    for (const c of cases) {
      it(`${c.name}, from an engine call and from migrate()`, async () => {
        const pool = c.pool();
        const { onehop, id } = engine(pool);
        const error = await expectOnehopError(onehop.enroll({ userId: 'alice' }), 'STORE_MISCONFIGURED', false);
        expect(error.hint).toMatch(c.hint);
        expect(error.hint).not.toMatch(/run the same call again/i);
        await expectOnehopError(migrate({ pool, schema: db.schema }), 'STORE_MISCONFIGURED', false);
        expect(await count('participants', id)).toBe(0);
      });
    }

    describe('a role without the privileges (42501)', () => {
      const role = uniqueSchema('onehop_reader');
      const password = 'reader-password';
      beforeAll(async () => {
        await db.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
        // It may read onehop's tables, not write them, and not create schemas.
        await db.pool.query(`GRANT USAGE ON SCHEMA "${db.schema}" TO ${role}`);
        await db.pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${db.schema}" TO ${role}`);
      });
      afterAll(async () => {
        await db.pool.query(`REVOKE ALL ON ALL TABLES IN SCHEMA "${db.schema}" FROM ${role}`);
        await db.pool.query(`REVOKE ALL ON SCHEMA "${db.schema}" FROM ${role}`);
        await db.pool.query(`DROP ROLE IF EXISTS ${role}`);
      });

      function readerPool(): pg.Pool {
        const u = new URL(DATABASE_URL!);
        u.username = role;
        u.password = password;
        return storePool({ connectionString: u.toString() });
      }

      it('an engine call that writes', async () => {
        const { onehop, id } = engine(readerPool());
        const error = await expectOnehopError(onehop.enroll({ userId: 'alice' }), 'STORE_MISCONFIGURED', false);
        expect(error.hint).toMatch(/GRANT|privilege/);
        expect(await count('participants', id)).toBe(0);
      });

      it('migrate() on a schema it may not create', async () => {
        const schema = uniqueSchema('errors_denied');
        const error = await expectOnehopError(migrate({ pool: readerPool(), schema }), 'STORE_MISCONFIGURED', false);
        expect(error.hint).toMatch(/GRANT|privilege/);
        const { rows } = await db.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
        expect(rows).toEqual([]);
      });
    });
  });
});

// PGlite needs no server, so this runs everywhere.
describe('a closed PGlite database', () => {
  it('is STORE_MISCONFIGURED, from an engine call and from migrate()', async () => {
    const pglite = new PGlite();
    await pglite.close();
    const onehop = createOnehop({ store: createPostgresStore({ pglite }), program: { id: 'closed', currency: 'USD' } });
    const error = await expectOnehopError(onehop.enroll({ userId: 'alice' }), 'STORE_MISCONFIGURED', false);
    expect(error.hint).toMatch(/closed/);
    await expectOnehopError(migrate({ pglite }), 'STORE_MISCONFIGURED', false);
  }, 120_000); // starting PGlite's WebAssembly takes seconds on a busy machine
});
