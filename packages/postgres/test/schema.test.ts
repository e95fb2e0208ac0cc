/**
 * What the database itself guarantees, checked with raw SQL that bypasses the
 * library: migrations, append-only tables, constraints, int8 range. Runs on
 * PGlite, and on the real server when DATABASE_URL is set.
 */
import { PGlite } from '@electric-sql/pglite';
import { createManualClock, createOnehop } from '@onehop/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type Connection, createPostgresStore, migrate, migrations, type SqlClient } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, uniqueSchema } from './databases';

interface Target {
  name: string;
  /** A connection for the store and migrate(), and a way to run raw SQL beside it. */
  open(): Promise<{ connection: Connection; raw: SqlClient & { exec(sql: string): Promise<unknown> }; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'PGlite',
    async open() {
      const db = new PGlite();
      return { connection: { pglite: db }, raw: db, close: () => db.close() };
    },
  },
];
if (DATABASE_URL) {
  targets.push({
    name: 'server',
    async open() {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
      const raw = { query: (text: string, values?: unknown[]) => pool.query(text, values), exec: (sql: string) => pool.query(sql) };
      return {
        connection: { pool },
        raw,
        // Drops every schema these tests created on the server.
        async close() {
          const { rows } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'schema\\_test\\_%'`);
          for (const { nspname } of rows) await pool.query(`DROP SCHEMA "${nspname}" CASCADE`);
          await pool.end();
        },
      };
    },
  });
}

describe.each(targets)('postgres schema and invariants ($name)', (target) => {
  const opened: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of opened) await close();
  });

  async function fresh() {
    const t = await target.open();
    opened.push(t.close);
    const schema = uniqueSchema('schema_test');
    return { ...t, schema };
  }

  async function migrated() {
    const t = await fresh();
    await migrate({ ...t.connection, schema: t.schema });
    const clock = createManualClock('2026-03-01T12:00:00.000Z');
    const onehop = createOnehop({
      store: createPostgresStore({ ...t.connection, schema: t.schema }),
      clock,
      program: { id: 'p1', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
    });
    const { participant } = await onehop.enroll({ userId: 'alice' });
    await onehop.attribute({ refereeId: 'bob', code: participant.code });
    await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'bob', amount: 10_000, currency: 'USD', occurredAt: clock.now() });
    const sql = (text: string) => t.raw.query(text.replaceAll('S.', `"${t.schema}".`));
    return { ...t, onehop, clock, sql };
  }

  it('migrate() applies each migration once and records it with its checksum', async () => {
    const t = await fresh();
    const all = migrations();
    const latest = all[all.length - 1]!.version;
    expect(await migrate({ ...t.connection, schema: t.schema })).toEqual({ schema: t.schema, applied: all.map((m) => m.version), version: latest });
    expect(await migrate({ ...t.connection, schema: t.schema })).toEqual({ schema: t.schema, applied: [], version: latest });
    const { rows } = await t.raw.query(`SELECT version, name, checksum FROM "${t.schema}".schema_migrations ORDER BY version`);
    expect(rows).toEqual(all.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));
    expect(all.map((m) => m.name)).toEqual([
      'initial',
      'fraud_review',
      'clicks',
      'dashboards',
      'counters_hot_updates',
      'counter_keys_byte_order',
      'outbox_invitations',
      'payouts_by_status',
      'commissions_due_in_order',
      'personal_data_out_of_history',
      'billing_events',
      'payout_runs_tax_profiles',
      'participant_groups',
    ]);
  });

  it('refuses to run when an applied migration was edited or the database is newer', async () => {
    const t = await fresh();
    await migrate({ ...t.connection, schema: t.schema });
    await t.raw.query(`UPDATE "${t.schema}".schema_migrations SET checksum = 'edited'`);
    await expect(migrate({ ...t.connection, schema: t.schema })).rejects.toMatchObject({ code: 'STORE_SCHEMA_MISMATCH' });
    await t.raw.query(`UPDATE "${t.schema}".schema_migrations SET checksum = $1`, [migrations()[0]!.checksum]);
    await t.raw.query(`INSERT INTO "${t.schema}".schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')`);
    await expect(migrate({ ...t.connection, schema: t.schema })).rejects.toMatchObject({ code: 'STORE_SCHEMA_MISMATCH' });
  });

  it('the shipped SQL applies with a team’s own tool: set search_path, run the file', async () => {
    const t = await fresh();
    await t.raw.exec(
      `CREATE SCHEMA "${t.schema}"; SET search_path TO "${t.schema}"; ${migrations()
        .map((m) => m.sql)
        .join(';\n')}; SET search_path TO public`,
    );
    const onehop = createOnehop({ store: createPostgresStore({ ...t.connection, schema: t.schema }), program: { id: 'p1', currency: 'USD', mode: 'mock' } });
    expect((await onehop.enroll({ userId: 'alice' })).created).toBe(true);
  });

  // PostgreSQL-only: the memory store keeps nothing across versions, so only
  // a database can hold audit lines and events an earlier version wrote.
  it('migration 0010 removes invitee addresses, messages and handler errors from audit lines and events written before it, and the trail stays append-only', async () => {
    const t = await fresh();
    const before = migrations().filter((m) => m.version < 10);
    // The schema as an earlier version left it, with rows that version wrote.
    await t.raw.exec(`CREATE SCHEMA "${t.schema}"; SET search_path TO "${t.schema}"; ${before.map((m) => m.sql).join(';\n')};
      CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
      SET search_path TO public`);
    for (const m of before)
      await t.raw.query(`INSERT INTO "${t.schema}".schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [m.version, m.name, m.checksum]);
    const sent = { email: 'bob@example.com', message: 'Hi Bob, it is Alice Smith', link: 'https://x.example/?ref=A&invite=t', sendCount: 1 };
    await t.raw.query(
      `INSERT INTO "${t.schema}".audit_trail (program_id, mode, id, entity_type, entity_id, action, actor_type, actor_id, data, at) VALUES
         ('p1', 'mock', 'aud_1', 'invitation', 'inv_1', 'invitation.sent', 'user', 'alice', $1, now()),
         ('p1', 'mock', 'aud_2', 'participant', 'alice', 'participant.enrolled', 'user', 'alice', '{"code": "ALICE123"}', now())`,
      [JSON.stringify(sent)],
    );
    await t.raw.query(
      `INSERT INTO "${t.schema}".audit_trail (program_id, mode, id, entity_type, entity_id, action, actor_type, after, reason, data, at) VALUES
         ('p1', 'mock', 'aud_3', 'event', 'evt_1', 'event.dead', 'system', 'dead', 'Error: 550 mailbox bob@example.com unavailable', '{"type": "invitation.sent", "attempts": 1}', now())`,
    );
    await t.raw.query(
      `INSERT INTO "${t.schema}".outbox (program_id, mode, id, type, subject_id, entity_type, entity_id, data, occurred_at, status, attempts, next_attempt_at) VALUES
         ('p1', 'mock', 'evt_1', 'invitation.sent', 'alice', 'invitation', 'inv_1', $1, now(), 'pending', 0, now())`,
      [JSON.stringify(sent)],
    );
    expect((await migrate({ ...t.connection, schema: t.schema })).applied).toEqual(
      migrations()
        .filter((m) => m.version >= 10)
        .map((m) => m.version),
    );
    const kept = { link: sent.link, sendCount: 1 };
    expect((await t.raw.query(`SELECT id, reason, data FROM "${t.schema}".audit_trail ORDER BY seq`)).rows).toEqual([
      { id: 'aud_1', reason: null, data: kept },
      { id: 'aud_2', reason: null, data: { code: 'ALICE123' } },
      { id: 'aud_3', reason: 'delivery failed', data: { type: 'invitation.sent', attempts: 1 } },
    ]);
    expect((await t.raw.query(`SELECT data FROM "${t.schema}".outbox`)).rows).toEqual([{ data: kept }]);
    await expect(t.raw.query(`UPDATE "${t.schema}".audit_trail SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
  });

  it('a store on a schema that was never migrated says to run migrate()', async () => {
    const t = await fresh();
    const onehop = createOnehop({ store: createPostgresStore({ ...t.connection, schema: t.schema }), program: { id: 'p1', currency: 'USD', mode: 'mock' } });
    await expect(onehop.enroll({ userId: 'alice' })).rejects.toMatchObject({ code: 'STORE_SCHEMA_MISMATCH' });
  });

  it('validates its options', async () => {
    const t = await fresh();
    expect(() => createPostgresStore({ ...t.connection, schema: 'Bad-Name' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'schema' }));
    expect(() => createPostgresStore({} as Connection)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => createPostgresStore({ ...t.connection, preparedStatements: 'no' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'preparedStatements' }),
    );
    await expect(migrate({ ...t.connection, schema: 'x; DROP TABLE y' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'schema' });
  });

  it('the ledger and the audit trail are append-only, even for SQL that bypasses onehop', async () => {
    const { sql } = await migrated();
    for (const statement of [
      `UPDATE S.ledger_entries SET amount = amount + 1`,
      `DELETE FROM S.ledger_entries`,
      `TRUNCATE S.ledger_entries CASCADE`,
      `UPDATE S.audit_trail SET reason = 'rewritten'`,
      `DELETE FROM S.audit_trail`,
    ]) {
      await expect(sql(statement), statement).rejects.toThrow(/append-only/);
    }
    expect((await sql(`SELECT count(*)::int AS n FROM S.ledger_entries`)).rows).toEqual([{ n: 1 }]);
  });

  it('a code is never deleted or given to someone else', async () => {
    const { sql } = await migrated();
    await expect(sql(`DELETE FROM S.codes`)).rejects.toThrow(/never deleted/);
    await expect(sql(`UPDATE S.codes SET user_id = 'mallory'`)).rejects.toThrow(/keeps its value and owner/);
  });

  it('CHECK constraints and foreign keys hold against raw SQL', async () => {
    const { sql } = await migrated();
    const rejects = async (statement: string, constraint: RegExp) => expect(sql(statement), statement).rejects.toThrow(constraint);
    await rejects(`UPDATE S.referrals SET referee_id = referrer_id`, /referral_not_self/);
    await rejects(`UPDATE S.commissions SET amount = -1`, /commissions_amount_check|commission_reversed/);
    await rejects(`UPDATE S.commissions SET reversed_amount = amount + 1`, /commission_reversed/);
    await rejects(`UPDATE S.commissions SET payout_id = 'po_missing'`, /commission_payout/);
    await rejects(`UPDATE S.source_events SET reversed_amount = amount + 1`, /source_event_reversed/);
    await rejects(
      `INSERT INTO S.source_events SELECT program_id, mode, kind, event_id, 'other', referral_id, referrer_id, referee_id, amount, reversed_amount, related_event_id, result, occurred_at, recorded_at FROM S.source_events`,
      /source_event/,
    );
    await rejects(
      `INSERT INTO S.referrals (program_id, mode, id, referrer_id, referee_id, code, status, attributed_at, purchase_count, revenue, updated_at)
                   SELECT program_id, mode, 'ref_2', referrer_id, referee_id, code, status, attributed_at, 0, 0, updated_at FROM S.referrals`,
      /referral_referee/,
    );
    await rejects(
      `INSERT INTO S.referrals (program_id, mode, id, referrer_id, referee_id, code, status, attributed_at, purchase_count, revenue, updated_at)
                   VALUES ('p1', 'mock', 'ref_3', 'nobody', 'carol', 'NOCODE', 'pending', now(), 0, 0, now())`,
      /referral_referrer|referral_code/,
    );
    await rejects(`UPDATE S.participants SET mode = 'test'`, /participants_mode_check/);
    await rejects(`INSERT INTO S.clicks (program_id, mode, id, code, referrer_id, at) VALUES ('p1', 'mock', 'clk_1', 'NOCODE99', 'alice', now())`, /click_code/);
    await rejects(
      `INSERT INTO S.clicks (program_id, mode, id, code, referrer_id, ip_hash, at)
                   SELECT 'p1', 'mock', 'clk_2', code, user_id, '198.51.100.7', now() FROM S.participants`,
      /clicks_ip_hash_check/,
    );
    const payout = (status: string, runId = 'NULL') =>
      `INSERT INTO S.payouts (program_id, mode, id, user_id, amount, status, method, requested_at, updated_at, run_id)
                   VALUES ('p1', 'mock', 'pay_x', 'alice', 100, '${status}', '{"type": "store_credit"}', now(), now(), ${runId})`;
    await rejects(payout('processing'), /payout_attempt_key/);
    await rejects(payout('sent'), /payouts_status_check/);
    await rejects(payout('approved', "'run_missing'"), /payout_run/);
    const taxProfile = (userId: string, country: string) =>
      `INSERT INTO S.tax_profiles (program_id, mode, user_id, status, form_type, country, updated_by, updated_at) VALUES ('p1', 'mock', '${userId}', 'verified', 'W-9', '${country}', 'admin', now())`;
    await rejects(taxProfile('alice', 'usa'), /tax_profiles_country_check/);
    await rejects(taxProfile('nobody', 'US'), /tax_profile_participant/);
  });

  it('int8 amounts too large for a JavaScript number raise an error instead of being rounded', async () => {
    const { sql, onehop } = await migrated();
    await sql(`UPDATE S.balances SET pending = 9007199254740993 WHERE account_id = 'alice'`);
    await expect(onehop.getBalances('alice')).rejects.toMatchObject({ code: 'STORE_INTEGRITY_VIOLATION' });
  });

  // PostgreSQL-only: the memory store has no round trips to save, so holding
  // writes back is this store's own mechanism (see `repositories`).
  it('sends an accrual’s writes as one statement, and a held write that fails fails the call before COMMIT, writing nothing', async () => {
    const t = await migrated();
    // The same database, through a connection that records every statement the store sends.
    const sent: string[] = [];
    const record = (text: string) => sent.push(text.trimStart().split(/\s/, 1)[0]!.toUpperCase());
    let pool: pg.Pool | undefined;
    let connection: Connection;
    if ('pool' in t.connection) {
      pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      pool.on('connect', (client) => {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
          record(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text);
          return query(...args);
        };
      });
      connection = { pool };
    } else {
      const db = (t.connection as { pglite: PGlite }).pglite;
      connection = {
        pglite: {
          query: (text, values) => db.query(text, values),
          transaction: (fn) =>
            db.transaction((tx) =>
              fn({
                query: (text, values) => {
                  record(text);
                  return tx.query(text, values);
                },
              }),
            ),
        },
      };
    }
    try {
      const store = createPostgresStore({ ...connection, schema: t.schema });
      const onehop = createOnehop({
        store,
        clock: t.clock,
        program: { id: 'p1', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
      });
      // Bob's second purchase: a commission, its ledger entry and balance, the audit line, the referral, the event, the counters, the outbox.
      const result = await onehop.recordPurchase({ eventId: 'pi_2', refereeId: 'bob', amount: 5_000, currency: 'USD', occurredAt: t.clock.now() });
      expect(result).toMatchObject({ status: 'recorded', commissions: [{ amount: 500 }] });
      const writes = sent.filter((verb) => ['INSERT', 'UPDATE', 'WITH', 'DELETE'].includes(verb));
      expect(writes).toEqual(['WITH']);
      expect((await t.sql(`SELECT count(*)::int AS n FROM S.ledger_entries`)).rows).toEqual([{ n: 2 }]);
      expect((await t.sql(`SELECT purchase_count FROM S.referrals`)).rows).toEqual([{ purchase_count: 2 }]);

      // Held writes that break a constraint: the call fails with the store's error before COMMIT, and none of them is written.
      const scope = { programId: 'p1', mode: 'mock' as const };
      const line = {
        ...scope,
        entityType: 'participant' as const,
        entityId: 'alice',
        action: 'test.note',
        actor: { type: 'system' as const, id: null },
        before: null,
        after: null,
        reason: null,
        sourceEvent: null,
        data: null,
        at: t.clock.now(),
      };
      const failed = await store
        .transaction(async (tx) => {
          await tx.audit.append({ ...line, id: 'aud_held_1' });
          await tx.balances.add(scope, 'alice', { pending: 1 }, t.clock.now());
          await tx.audit.append({ ...line, id: 'aud_held_1' });
        })
        .catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 'STORE_UNIQUE_VIOLATION' });
      expect((await t.sql(`SELECT count(*)::int AS n FROM S.audit_trail WHERE action = 'test.note'`)).rows).toEqual([{ n: 0 }]);
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 1500 });
    } finally {
      await pool?.end();
    }
  });

  it('runs inside the application’s own transaction: commits and rolls back with it', async () => {
    const t = await fresh();
    await migrate({ ...t.connection, schema: t.schema });
    // One connection the application holds for a sign-up: a pool client, or the PGlite instance itself.
    const client = 'pool' in t.connection ? await t.connection.pool.connect() : t.raw;
    try {
      await client.query(`CREATE TABLE "${t.schema}".app_users (id text PRIMARY KEY)`);
      const program = { id: 'p1', currency: 'USD', mode: 'mock' as const };
      const onehop = createOnehop({ store: createPostgresStore({ client, schema: t.schema }), program });
      await client.query('BEGIN');
      const { participant } = await onehop.enroll({ userId: 'alice' });
      await client.query('COMMIT');

      const signUp = async (id: string, commit: boolean) => {
        await client.query('BEGIN');
        await client.query(`INSERT INTO "${t.schema}".app_users (id) VALUES ($1)`, [id]);
        const result = await onehop.attribute({ refereeId: id, code: participant.code });
        // A call that fails inside the transaction rolls back to its savepoint; the application's writes stay.
        await expect(onehop.enroll({ userId: id, code: participant.code })).rejects.toMatchObject({ code: 'CODE_TAKEN' });
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        return result;
      };
      expect((await signUp('bob', false)).ok).toBe(true);
      expect((await signUp('carol', true)).ok).toBe(true);
      const referees = await client.query(`SELECT referee_id FROM "${t.schema}".referrals ORDER BY referee_id`);
      expect(referees.rows).toEqual([{ referee_id: 'carol' }]);
      const users = await client.query(`SELECT id FROM "${t.schema}".app_users ORDER BY id`);
      expect(users.rows).toEqual([{ id: 'carol' }]);
      // The outbox rolled back with the application: no event for Bob's sign-up that never happened.
      const events = await client.query(`SELECT type, data->>'refereeId' AS referee FROM "${t.schema}".outbox ORDER BY seq`);
      expect(events.rows).toEqual([{ type: 'referral.created', referee: 'carol' }]);
      expect(await onehop.getParticipant('carol')).toBeNull();
    } finally {
      if ('release' in client) (client as pg.PoolClient).release();
    }
  });
});

describe.skipIf(!DATABASE_URL)(`postgres migrations on a real server${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  it('several app instances migrating at once apply each migration exactly once', async () => {
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: DATABASE_URL, max: 1 }));
    const schema = uniqueSchema('schema_test');
    try {
      const results = await Promise.all(pools.map((pool) => migrate({ pool, schema })));
      expect(results.map((r) => r.applied).sort()).toEqual([[], [], [], [], [], migrations().map((m) => m.version)]);
      const { rows } = await pools[0]!.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual(migrations().map((m) => ({ version: m.version })));
    } finally {
      await pools[0]!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
