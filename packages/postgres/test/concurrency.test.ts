/**
 * Concurrency guarantees on a real PostgreSQL server with real parallel
 * connections (a pool of 20). Every check reads what was really written with
 * raw SQL, not through the store. These need DATABASE_URL; without it they
 * skip and say why (in CI a missing server fails instead, see databases.ts).
 */
import { createManualClock, createOnehop, type Onehop, type ProgramConfigInput } from '@onehop/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PoolLike, type PooledClient, type QueryConfig } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, serverDatabase, type ServerDatabase } from './databases';

let programs = 0;

describe.skipIf(!DATABASE_URL)(`postgres concurrency (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    db = await serverDatabase('concurrency', 20);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  function engine(program: Partial<ProgramConfigInput> = {}, options: { pool?: PoolLike; maxRetries?: number } = {}) {
    const clock = createManualClock('2026-03-01T12:00:00.000Z');
    const id = `cc-${Date.now().toString(36)}-${++programs}`;
    const onehop = createOnehop({
      store: createPostgresStore({ pool: options.pool ?? db.pool, schema: db.schema }),
      clock,
      program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } }, ...program },
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    });
    return { onehop, clock, id };
  }

  /** Rows of a table of one program, read with raw SQL. */
  async function rows(table: string, programId: string, where = 'true', values: unknown[] = []) {
    // Tables with an insertion-order column are read in that order.
    const order = table === 'balances' || table === 'source_events' ? '' : ' ORDER BY seq';
    const { rows } = await db.pool.query(`SELECT * FROM "${db.schema}".${table} WHERE program_id = $1 AND ${where}${order}`, [programId, ...values]);
    return rows as Record<string, unknown>[];
  }

  /** Every balance row equals the sum of its account's ledger entries, bucket by bucket, in the database. */
  async function expectLedgerMatchesBalances(programId: string) {
    const { rows: mismatched } = await db.pool.query(
      `SELECT b.account_id FROM "${db.schema}".balances b
       LEFT JOIN (SELECT account_id, bucket, sum(amount) AS total FROM "${db.schema}".ledger_entries WHERE program_id = $1 GROUP BY account_id, bucket) l
         ON l.account_id = b.account_id
       WHERE b.program_id = $1
       GROUP BY b.account_id, b.pending, b.on_hold, b.withdrawable, b.requested, b.paid
       HAVING b.pending <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'pending'), 0)
           OR b.on_hold <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'on_hold'), 0)
           OR b.withdrawable <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'withdrawable'), 0)
           OR b.requested <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'requested'), 0)
           OR b.paid <> coalesce(sum(l.total) FILTER (WHERE l.bucket = 'paid'), 0)`,
      [programId],
    );
    expect(mismatched).toEqual([]);
  }

  async function referrerWith(onehop: Onehop, referees: number) {
    const { participant } = await onehop.enroll({ userId: 'alice' });
    for (let i = 0; i < referees; i++) await onehop.attribute({ refereeId: `bob-${i}`, code: participant.code });
  }

  it('50 concurrent deliveries of one purchase event make exactly one commission', async () => {
    const { onehop, id } = engine();
    await referrerWith(onehop, 1);
    const purchase = { eventId: 'pi_same', refereeId: 'bob-0', amount: 10_000, currency: 'USD', occurredAt: new Date('2026-03-01T12:00:00Z') };
    const results = await Promise.all(Array.from({ length: 50 }, () => onehop.recordPurchase(purchase)));
    expect(results.filter((r) => r.status === 'recorded' && !r.replayed)).toHaveLength(1);
    expect(results.filter((r) => r.status === 'recorded' && r.replayed)).toHaveLength(49);
    expect(await rows('source_events', id)).toHaveLength(1);
    const commissions = await rows('commissions', id);
    expect(commissions.map((c) => Number(c.amount))).toEqual([1000]);
    const [balance] = await rows('balances', id, "account_id = 'alice'");
    expect(Number(balance!.pending)).toBe(1000);
    await expectLedgerMatchesBalances(id);
  });

  it('20 concurrent purchases crossing a tier threshold pay exactly 10 at each rate', async () => {
    // Tier applies from the accrual after the one that reaches it: 10 referrals counted before → 25 %.
    const { onehop, id } = engine({
      commission: { rule: { type: 'tiered', scope: { type: 'lifetime' }, tiers: [{ from: 0, rateBps: 2000 }, { from: 10, rateBps: 2500 }] } },
    });
    await referrerWith(onehop, 20);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        onehop.recordPurchase({ eventId: `pi_${i}`, refereeId: `bob-${i}`, amount: 1000, currency: 'USD', occurredAt: new Date('2026-03-01T12:00:00Z') }),
      ),
    );
    const amounts = (await rows('commissions', id)).map((c) => Number(c.amount));
    expect(amounts.filter((a) => a === 200)).toHaveLength(10);
    expect(amounts.filter((a) => a === 250)).toHaveLength(10);
    expect(amounts).toHaveLength(20);
    const [counter] = (await db.pool.query(`SELECT value FROM "${db.schema}".counters WHERE program_id = $1 AND name = 'qualified' AND period = 'all'`, [id])).rows;
    expect(Number(counter.value)).toBe(20);
    const tierChanges = await rows('audit_trail', id, "action = 'tier.changed'");
    expect(tierChanges).toHaveLength(1);
    await expectLedgerMatchesBalances(id);
  });

  it('10 concurrent payout requests for the full balance: exactly one succeeds, nothing is overdrawn', async () => {
    const { onehop, clock, id } = engine({ payouts: { minimumAmount: 100 } });
    await referrerWith(onehop, 1);
    await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'bob-0', amount: 50_000, currency: 'USD', occurredAt: clock.now() });
    clock.advanceDays(31);
    await onehop.approveDue();
    await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'store_credit' } });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => onehop.requestPayout({ userId: 'alice', amount: 5000 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(['PAYOUT_ALREADY_OPEN', 'INSUFFICIENT_BALANCE']).toContain((r.reason as { code: string }).code);
    expect(await rows('payouts', id)).toHaveLength(1);
    const [balance] = await rows('balances', id, "account_id = 'alice'");
    expect({ withdrawable: Number(balance!.withdrawable), requested: Number(balance!.requested) }).toEqual({ withdrawable: 0, requested: 5000 });
    await expectLedgerMatchesBalances(id);
  });

  it('an erasure racing the user’s purchases, their referee’s purchases and their invitations completes with every call, and leaves neither their address nor a broken balance', async () => {
    const { onehop, clock, id } = engine();
    const email = `ada.race.${Date.now().toString(36)}@example.org`;
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'ada', code: 'ALICE123', email });
    await onehop.enroll({ userId: 'ada', code: 'ADA12345', email });
    await onehop.attribute({ refereeId: 'bob', code: 'ADA12345' });
    for (let i = 0; i < 3; i++) await onehop.invite({ inviterId: 'alice', email: i === 0 ? email : `friend${i}@example.com`, baseUrl: 'https://x.example/join' });
    const calls = [
      ...Array.from({ length: 8 }, (_, i) => () => onehop.recordPurchase({ eventId: `pi_ada_${i}`, refereeId: 'ada', amount: 1000, currency: 'USD', occurredAt: clock.now() })),
      ...Array.from({ length: 8 }, (_, i) => () => onehop.recordPurchase({ eventId: `pi_bob_${i}`, refereeId: 'bob', amount: 1000, currency: 'USD', occurredAt: clock.now() })),
      ...Array.from({ length: 4 }, (_, i) => () => onehop.invite({ inviterId: 'ada', email: `pal${i}@example.com`, baseUrl: 'https://x.example/join' })),
      () => onehop.eraseUser({ userId: 'ada', adminId: 'admin', reason: 'erasure request' }),
    ];
    const results = await Promise.allSettled(calls.map((call) => call()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await rows('commissions', id)).toHaveLength(16);
    await expectLedgerMatchesBalances(id);
    const { rows: leaks } = await db.pool.query(
      `SELECT 'participants' AS t FROM "${db.schema}".participants WHERE program_id = $1 AND (email ILIKE $2 OR email_normalized ILIKE $2)
       UNION ALL SELECT 'referrals' FROM "${db.schema}".referrals WHERE program_id = $1 AND referee_email_normalized ILIKE $2
       UNION ALL SELECT 'invitations' FROM "${db.schema}".invitations WHERE program_id = $1 AND (email ILIKE $2 OR email_normalized ILIKE $2)
       UNION ALL SELECT 'audit' FROM "${db.schema}".audit_trail WHERE program_id = $1 AND (data::text ILIKE $2 OR reason ILIKE $2)
       UNION ALL SELECT 'outbox' FROM "${db.schema}".outbox WHERE program_id = $1 AND data::text ILIKE $2`,
      [id, `%${email}%`],
    );
    expect(leaks).toEqual([]);
  });

  it('two concurrent attributions of one referee with different codes make exactly one referral', async () => {
    const { onehop, id } = engine();
    const alice = (await onehop.enroll({ userId: 'alice' })).participant.code;
    const carol = (await onehop.enroll({ userId: 'carol' })).participant.code;
    for (let i = 0; i < 10; i++) {
      const results = await Promise.all([onehop.attribute({ refereeId: `bob-${i}`, code: alice }), onehop.attribute({ refereeId: `bob-${i}`, code: carol })]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['DUPLICATE_REFEREE']);
    }
    const referrals = await rows('referrals', id);
    expect(referrals).toHaveLength(10);
    expect(new Set(referrals.map((r) => r.referee_id)).size).toBe(10);
  });

  it('a backend terminated mid-transaction leaves no rows, raises a retryable error, and a retry completes once', async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      // A pool whose next INSERT INTO commissions first has its own backend terminated from a second connection.
      let armed = true;
      const pool: PoolLike = {
        async connect() {
          const client = await db.pool.connect();
          const wrapped: PooledClient & { on: pg.PoolClient['on']; off: pg.PoolClient['off'] } = {
            async query(statement: string | QueryConfig, values?: unknown[]) {
              const text = typeof statement === 'string' ? statement : statement.text;
              if (armed && text.includes('INTO') && text.includes('.commissions')) {
                armed = false;
                const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
                await admin.query('SELECT pg_terminate_backend($1, 5000)', [rows[0].pid]);
              }
              return typeof statement === 'string' ? client.query(statement, values) : client.query(statement);
            },
            release: (destroy) => client.release(destroy),
            on: client.on.bind(client),
            off: client.off.bind(client),
          };
          return wrapped;
        },
      };
      const { onehop, id } = engine({}, { pool });
      await referrerWith(onehop, 1);
      const purchase = { eventId: 'pi_cut', refereeId: 'bob-0', amount: 10_000, currency: 'USD', occurredAt: new Date('2026-03-01T12:00:00Z') };
      const error = await onehop.recordPurchase(purchase).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORE_CONNECTION_LOST', retryable: true });
      expect(armed).toBe(false);
      expect(await rows('source_events', id)).toEqual([]);
      expect(await rows('commissions', id)).toEqual([]);
      expect(await rows('ledger_entries', id, "account_id = 'alice'")).toEqual([]);
      expect((await rows('referrals', id))[0]).toMatchObject({ status: 'pending', purchase_count: 0 });

      expect(await onehop.recordPurchase(purchase)).toMatchObject({ status: 'recorded', replayed: false });
      expect(await onehop.recordPurchase(purchase)).toMatchObject({ status: 'recorded', replayed: true });
      expect(await rows('commissions', id)).toHaveLength(1);
      await expectLedgerMatchesBalances(id);
    } finally {
      await admin.end();
    }
  });

  it('four dispatchers claiming on parallel connections never deliver one event at the same time; each event is delivered once, in order per referrer', async () => {
    const { onehop, id } = engine();
    for (let r = 0; r < 8; r++) {
      const { participant } = await onehop.enroll({ userId: `ref-${r}` });
      for (let i = 0; i < 6; i++) await onehop.attribute({ refereeId: `u-${r}-${i}`, code: participant.code });
    }
    const written = await rows('outbox', id);
    expect(written).toHaveLength(48);
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const order = new Map<string, string[]>();
    const handler = async (event: { id: string; subjectId: string }) => {
      if (inFlight.has(event.id)) overlaps.push(event.id);
      inFlight.add(event.id);
      await new Promise((r) => setTimeout(r, 2));
      inFlight.delete(event.id);
      order.set(event.subjectId, [...(order.get(event.subjectId) ?? []), event.id]);
    };
    // Every claim and acknowledgement checks out its own pool connection, so the four claim in parallel; SKIP LOCKED keeps them apart.
    const dispatchers = Array.from({ length: 4 }, () => onehop.createDispatcher({ batchSize: 3, perSubject: 2, handlers: { '*': handler } }));
    for (let round = 0; round < 60 && (await rows('outbox', id, "status = 'pending'")).length > 0; round++) await Promise.all(dispatchers.map((d) => d.runOnce()));
    expect(overlaps).toEqual([]);
    const delivered = await rows('outbox', id, "status = 'delivered'");
    expect(delivered).toHaveLength(48);
    expect(delivered.every((r) => r.attempts === 1)).toBe(true);
    // Per referrer, in the order written.
    for (const [subject, ids] of order) expect(ids).toEqual(written.filter((r) => r.subject_id === subject).map((r) => r.id));
  });

  it('serialisation failures are retried a bounded number of times, then surface as a typed retryable error', async () => {
    // At REPEATABLE READ, concurrent updates of one balance row fail with a real 40001.
    const strict = new pg.Pool({ connectionString: DATABASE_URL, max: 10, options: '-c default_transaction_isolation=repeatable\\ read' });
    try {
      const purchases = (onehop: Onehop) =>
        Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            onehop.recordPurchase({ eventId: `pi_${i}`, refereeId: `bob-${i}`, amount: 1000, currency: 'USD', occurredAt: new Date('2026-03-01T12:00:00Z') }),
          ),
        );
      const noRetry = engine({}, { pool: strict, maxRetries: 0 });
      await referrerWith(noRetry.onehop, 10);
      const failed = (await purchases(noRetry.onehop)).filter((r) => r.status === 'rejected');
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect((f as PromiseRejectedResult).reason).toMatchObject({ code: 'TRANSACTION_CONFLICT', retryable: true });
      // What failed left nothing: one commission per recorded purchase, and balances equal to the ledger.
      expect(await rows('commissions', noRetry.id)).toHaveLength(10 - failed.length);
      await expectLedgerMatchesBalances(noRetry.id);

      const retrying = engine({}, { pool: strict, maxRetries: 50 });
      await referrerWith(retrying.onehop, 10);
      expect((await purchases(retrying.onehop)).filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await rows('commissions', retrying.id)).toHaveLength(10);
      await expectLedgerMatchesBalances(retrying.id);
    } finally {
      await strict.end();
    }
  });
});
