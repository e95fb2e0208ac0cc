/**
 * Concurrency guarantees on a real PostgreSQL server with real parallel
 * connections (a pool of 20): directly, through PgBouncer in transaction mode
 * (which shares a few server connections among them), and as an application
 * role that does not own the tables (only the grants of grantApplicationRole). Every
 * check reads what was really written with raw SQL, not through the store.
 * These need DATABASE_URL (and PGBOUNCER_URL); without it they skip and say
 * why (in CI a missing server fails instead, see databases.ts).
 */
import { createManualClock, createOnehop, type Onehop, type PayoutProvider, type ProgramConfigInput } from '@onehop/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PooledClient, type PoolLike, type QueryConfig } from '../src/index';
import { ledgerMismatches, poolAround as poolAroundOf, SERVER_TARGETS, type ServerDatabase, serverDatabase } from './databases';

let programs = 0;

for (const target of SERVER_TARGETS)
  describe.skipIf(!target.url)(`postgres concurrency (${target.name})${target.url ? '' : `: skipped, ${target.skipReason}`}`, () => {
    let db: ServerDatabase;
    beforeAll(async () => {
      db = await serverDatabase('concurrency', 20, target.url, { applicationRole: target.applicationRole });
    });
    afterAll(async () => {
      await db?.dispose();
    });

    function engine(program: Partial<ProgramConfigInput> = {}, options: { pool?: PoolLike; maxRetries?: number; payoutProviders?: PayoutProvider[] } = {}) {
      const clock = createManualClock('2026-03-01T12:00:00.000Z');
      const id = `cc-${Date.now().toString(36)}-${++programs}`;
      const onehop = createOnehop({
        store: createPostgresStore({ pool: options.pool ?? db.pool, schema: db.schema, preparedStatements: target.preparedStatements }),
        clock,
        program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } }, ...program },
        ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
        ...(options.payoutProviders === undefined ? {} : { payoutProviders: options.payoutProviders }),
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

    /** The test pool, with `around` wrapped around each statement a checked-out client sends (`send` sends it). */
    const poolAround = (around: (text: string, send: () => Promise<{ rows: unknown[] }>, client: pg.PoolClient) => Promise<{ rows: unknown[] }>): PoolLike =>
      poolAroundOf(db.pool, around);

    /** Every balance row equals the sum of its account's ledger entries, bucket by bucket, in the database. */
    async function expectLedgerMatchesBalances(programId: string) {
      expect(await ledgerMismatches(db.pool, db.schema, programId)).toEqual([]);
    }

    async function referrerWith(onehop: Onehop, referees: number) {
      const { participant } = await onehop.enroll({ userId: 'alice' });
      for (let i = 0; i < referees; i++) await onehop.attribute({ refereeId: `bob-${i}`, code: participant.code });
    }

    it('20 concurrent invitations from one inviter against a limit of 5 create exactly 5, and the counter says 5', async () => {
      const { onehop, id } = engine({ invitations: { inviteLimit: { max: 5, windowHours: 24 } } });
      await onehop.enroll({ userId: 'alice' });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => onehop.invite({ inviterId: 'alice', email: `u${i}@example.com`, baseUrl: 'https://shop.example/join' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(Array(15).fill('INVITATION_RATE_LIMITED'));
      expect(await rows('invitations', id)).toHaveLength(5);
      const { rows: counted } = await db.pool.query(
        `SELECT sum(value)::int AS n FROM "${db.schema}".counters WHERE program_id = $1 AND owner_id = 'alice' AND name = 'invitations.new'`,
        [id],
      );
      expect(counted[0].n).toBe(5);
    });

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
        commission: {
          rule: {
            type: 'tiered',
            scope: { type: 'lifetime' },
            tiers: [
              { from: 0, rateBps: 2000 },
              { from: 10, rateBps: 2500 },
            ],
          },
        },
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

    it('concurrent rejections of one held commission (rejectCommission, decideReview): exactly one wins, the rest are INVALID_TRANSITION', async () => {
      // No retries: a deadlock or serialisation failure would surface as TRANSACTION_CONFLICT.
      const { onehop, clock, id } = engine({ fraud: { highValueCommission: { threshold: 1000 } } }, { maxRetries: 0 });
      await referrerWith(onehop, 1);
      const bought = await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'bob-0', amount: 50_000, currency: 'USD', occurredAt: clock.now() });
      const line = bought.status === 'recorded' ? bought.commissions[0]! : undefined;
      expect(line?.status).toBe('on_hold');
      const [review] = await onehop.listReviews();
      const results = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) =>
          i % 2 === 0
            ? onehop.rejectCommission({ commissionId: line!.id, adminId: `admin-${i}`, reason: 'fraud' })
            : onehop.decideReview({ reviewId: review!.id, decision: 'reject', adminId: `admin-${i}`, reason: 'fraud' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []))).toEqual(
        Array.from({ length: 15 }, () => 'INVALID_TRANSITION'),
      );
      expect((await rows('ledger_entries', id, "kind = 'rejection'")).map((e) => Number(e.amount))).toEqual([-5000]);
      expect((await rows('commissions', id)).map((c) => c.status)).toEqual(['rejected']);
      expect((await rows('reviews', id)).map((r) => r.status)).toEqual(['rejected']);
      await expectLedgerMatchesBalances(id);
    });

    it('rejectCommission takes the referrer’s lock before the commission’s, as decideReview does, so the two never deadlock', async () => {
      // rejectCommission's connection pauses once it holds the commission's row lock; decideReview of the
      // same line starts meanwhile. Locked in opposite orders they would deadlock (40P01); no retries here.
      let pause: (() => void) | null = null;
      let paused: Promise<void> = Promise.resolve();
      const pool = poolAround(async (text, send) => {
        const result = await send();
        if (pause && text.includes('.commissions') && text.includes('FOR UPDATE')) {
          const release = pause;
          pause = null;
          release();
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        return result;
      });
      const held: Partial<ProgramConfigInput> = { fraud: { highValueCommission: { threshold: 1000 } } };
      const { onehop, clock, id } = engine(held, { maxRetries: 0 });
      // The same program on the pausing pool.
      const rejecter = createOnehop({
        store: createPostgresStore({ pool, schema: db.schema }),
        clock,
        program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } }, ...held },
        maxRetries: 0,
      });
      await referrerWith(onehop, 1);
      const bought = await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'bob-0', amount: 50_000, currency: 'USD', occurredAt: clock.now() });
      const line = bought.status === 'recorded' ? bought.commissions[0]! : undefined;
      const [review] = await onehop.listReviews();
      paused = new Promise((resolve) => {
        pause = resolve;
      });
      const rejected = rejecter.rejectCommission({ commissionId: line!.id, adminId: 'admin-1', reason: 'fraud' });
      await paused;
      const decided = onehop.decideReview({ reviewId: review!.id, decision: 'approve', adminId: 'admin-2', reason: 'looks fine' });
      const results = await Promise.allSettled([rejected, decided]);
      expect(results[0]).toMatchObject({ status: 'fulfilled', value: { status: 'rejected' } });
      expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_TRANSITION' } });
      expect((await rows('reviews', id)).map((r) => [r.status, r.decided_by])).toEqual([['rejected', 'admin-1']]);
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
        ...Array.from(
          { length: 8 },
          (_, i) => () => onehop.recordPurchase({ eventId: `pi_ada_${i}`, refereeId: 'ada', amount: 1000, currency: 'USD', occurredAt: clock.now() }),
        ),
        ...Array.from(
          { length: 8 },
          (_, i) => () => onehop.recordPurchase({ eventId: `pi_bob_${i}`, refereeId: 'bob', amount: 1000, currency: 'USD', occurredAt: clock.now() }),
        ),
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

    it('concurrent purchases of one buyer with two referrers’ promo codes make exactly one referral, and every purchase accrues for it', async () => {
      const { onehop, id } = engine();
      const codes = [(await onehop.enroll({ userId: 'alice' })).participant.code, (await onehop.enroll({ userId: 'carol' })).participant.code];
      // Many rounds: a round races only when a delivery reads "no referral" just before another commits one.
      for (let i = 0; i < 30; i++) {
        const buyer = `bob-${i}`;
        const results = await Promise.all(
          Array.from({ length: 4 }, (_, n) =>
            onehop.recordPurchase({ eventId: `pi_${i}_${n}`, refereeId: buyer, amount: 10_000, currency: 'USD', occurredAt: new Date(), promoCode: codes[n % 2]! }),
          ),
        );
        const outcomes = results.map((r) => (r.status === 'recorded' ? r.promoCode?.outcome : r.reason)).sort();
        expect(outcomes, JSON.stringify(results.map((r) => (r.status === 'recorded' ? r.promoCode : r)))).toEqual([
          'already-referred',
          'already-referred',
          'already-referred',
          'attributed',
        ]);
        const [referral, ...more] = await rows('referrals', id, 'referee_id = $2', [buyer]);
        expect(more).toEqual([]);
        const commissions = await rows('commissions', id, 'referee_id = $2', [buyer]);
        expect(commissions.map((c) => [c.referral_id, c.beneficiary_id])).toEqual(Array.from({ length: 4 }, () => [referral!.id, referral!.referrer_id]));
      }
      expect(await rows('source_events', id)).toHaveLength(120);
      await expectLedgerMatchesBalances(id);
    });

    it('a backend terminated mid-transaction leaves no rows, raises a retryable error, and a retry completes once', async () => {
      const admin = new pg.Client({ connectionString: db.directUrl });
      await admin.connect();
      const locker = new pg.Client({ connectionString: db.directUrl });
      await locker.connect();
      try {
        // A pool whose next INSERT INTO commissions (the purchase's write set, sent alone on a pool) has its backend
        // terminated while it runs: a second connection holds alice's row, so the statement waits, is found in
        // pg_stat_activity (through a pooler, the server connection a statement runs on is known only then), and ended.
        let armed = true;
        let programId = '';
        const pool = poolAround(async (text, send) => {
          if (!armed || !text.includes('INTO') || !text.includes('.commissions')) return send();
          armed = false;
          await locker.query('BEGIN');
          await locker.query(`SELECT 1 FROM "${db.schema}".participants WHERE program_id = $1 AND user_id = 'alice' FOR UPDATE`, [programId]);
          const sent = send();
          sent.catch(() => undefined);
          for (;;) {
            const { rows } = await admin.query(
              "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) = 1 AND position($2 in query) > 0",
              [text.slice(0, 200), `"${db.schema}".`],
            );
            if (rows.length > 0) {
              await admin.query('SELECT pg_terminate_backend($1, 5000)', [rows[0].pid]);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          await locker.query('ROLLBACK');
          return sent;
        });
        const { onehop, id } = engine({}, { pool });
        programId = id;
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
        await locker.end();
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

    it('six concurrent approveDue runs over the same 480 due commissions approve each exactly once, and all finish', async () => {
      const { onehop, clock, id } = engine();
      for (let r = 0; r < 6; r++) {
        const { participant } = await onehop.enroll({ userId: `ref-${r}` });
        for (let i = 0; i < 4; i++) await onehop.attribute({ refereeId: `u-${r}-${i}`, code: participant.code });
      }
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let n = next++; n < 480; n = next++) {
            await onehop.recordPurchase({ eventId: `pi_${n}`, refereeId: `u-${n % 6}-${n % 4}`, amount: 1000 + n, currency: 'USD', occurredAt: clock.now() });
          }
        }),
      );
      clock.advanceDays(31);
      const runs = await Promise.all(Array.from({ length: 6 }, () => onehop.approveDue({ limit: 100_000 })));
      expect(runs.reduce((n, r) => n + r.approved, 0)).toBe(480);
      // The runs shared the work rather than queueing behind one another on the same rows.
      expect(runs.filter((r) => r.approved > 0).length).toBeGreaterThan(1);
      expect(await rows('commissions', id, "status <> 'approved'")).toEqual([]);
      const { rows: twice } = await db.pool.query(
        `SELECT commission_id FROM "${db.schema}".ledger_entries WHERE program_id = $1 AND kind = 'approval' AND bucket = 'withdrawable' GROUP BY commission_id HAVING count(*) <> 1`,
        [id],
      );
      expect(twice).toEqual([]);
      expect(await rows('ledger_entries', id, "kind = 'approval' AND bucket = 'withdrawable'")).toHaveLength(480);
      expect(await rows('audit_trail', id, "action = 'commission.approved'")).toHaveLength(480);
      const { rows: sums } = await db.pool.query(`SELECT sum(withdrawable)::bigint AS w, sum(pending)::bigint AS p FROM "${db.schema}".balances WHERE program_id = $1`, [
        id,
      ]);
      const { rows: earned } = await db.pool.query(`SELECT sum(amount)::bigint AS total FROM "${db.schema}".commissions WHERE program_id = $1`, [id]);
      expect(Number(earned[0].total)).toBeGreaterThan(48_000);
      expect({ w: Number(sums[0].w), p: Number(sums[0].p) }).toEqual({ w: Number(earned[0].total), p: 0 });
      await expectLedgerMatchesBalances(id);
      expect(await onehop.approveDue()).toEqual({ approved: 0 });
    });

    it('a claim of due commissions skips those another open transaction holds, instead of waiting for it', async () => {
      // Store-only: the memory store runs one transaction at a time, so two claims never overlap there.
      const { onehop, clock, id } = engine();
      await referrerWith(onehop, 1);
      for (let i = 0; i < 6; i++) await onehop.recordPurchase({ eventId: `pi_${i}`, refereeId: 'bob-0', amount: 1000, currency: 'USD', occurredAt: clock.now() });
      clock.advanceDays(31);
      const store = createPostgresStore({ pool: db.pool, schema: db.schema });
      const scope = { programId: id, mode: 'mock' as const };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let first: string[] = [];
      const holding = store.transaction(async (tx) => {
        first = (await tx.commissions.claimDue(scope, clock.now(), { limit: 4 })).map((c) => c.id);
        await held;
      });
      while (first.length === 0) await new Promise((r) => setTimeout(r, 5));
      const second = (await store.transaction((tx) => tx.commissions.claimDue(scope, clock.now(), { limit: 4 }))).map((c) => c.id);
      release();
      await holding;
      expect(first).toHaveLength(4);
      expect(second).toHaveLength(2);
      expect(second.filter((c) => first.includes(c))).toEqual([]);
      const all = (await rows('commissions', id)).map((c) => c.id);
      expect([...first, ...second].sort()).toEqual([...all].sort());
    });

    /** `count` participants, each with `amount` withdrawable and a PayPal payout method. */
    async function payees(onehop: Onehop, count: number, amount: number): Promise<string[]> {
      const ids = Array.from({ length: count }, (_, i) => `payee-${String(i).padStart(3, '0')}`);
      for (const userId of ids) {
        await onehop.enroll({ userId });
        await onehop.adjustBalance({ userId, amount, adminId: 'admin', reason: 'earned' });
        await onehop.setPayoutMethod({ userId, method: { type: 'paypal', email: `${userId}@example.com` } });
      }
      return ids;
    }

    it('four workers starting one payout run at once, and a second run racing them, make one payout per payee', async () => {
      const { onehop, clock, id } = engine();
      const ids = await payees(onehop, 40, 1500);
      const before = new Date(clock.now().getTime() + 3_600_000);
      const runs = await Promise.all([
        ...Array.from({ length: 4 }, () => onehop.createPayoutRun({ runId: 'monthly', before, adminId: 'admin' })),
        onehop.createPayoutRun({ runId: 'other', before, adminId: 'admin' }),
      ]);
      const monthly = runs[0]!.result!;
      for (const run of runs.slice(1, 4)) expect(run.result).toEqual(monthly);
      const other = runs[4]!.result!;
      // Every payee is in exactly one of the two runs; the other run found their money taken, or skipped them for their open payout.
      expect([...monthly.payouts, ...other.payouts].map((p) => p.userId).sort()).toEqual(ids);
      expect(new Set([...monthly.skipped, ...other.skipped].map((s) => s.reason))).toEqual(
        new Set(other.skipped.length + monthly.skipped.length > 0 ? ['payout_open'] : []),
      );
      const { rows: perUser } = await db.pool.query(`SELECT user_id, count(*)::int AS n FROM "${db.schema}".payouts WHERE program_id = $1 GROUP BY user_id`, [id]);
      expect(perUser.map((r) => r.n)).toEqual(ids.map(() => 1));
      expect(await rows('payout_runs', id, "status = 'completed'")).toHaveLength(2);
      await expectLedgerMatchesBalances(id);
    });

    it('four sendPayouts workers on parallel connections send each of 30 payouts once, with one key each', async () => {
      const sent: string[] = [];
      const provider: PayoutProvider = {
        name: 'counting',
        methodType: 'paypal',
        send: async (request) => {
          sent.push(request.idempotencyKey);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { status: 'paid', externalReference: `PP-${request.idempotencyKey}` };
        },
      };
      const { onehop, clock, id } = engine({}, { payoutProviders: [provider] });
      await payees(onehop, 30, 2000);
      await onehop.createPayoutRun({ runId: 'r1', before: new Date(clock.now().getTime() + 3_600_000), adminId: 'admin' });
      const results = await Promise.all(Array.from({ length: 4 }, () => onehop.sendPayouts({ limit: 10 })));
      const more = await onehop.sendPayouts({ limit: 100 });
      expect(results.reduce((n, r) => n + r.paid, 0) + more.paid).toBe(30);
      expect(new Set(sent).size).toBe(30);
      expect(sent).toHaveLength(30);
      expect(await rows('payouts', id, "status <> 'paid'")).toEqual([]);
      const [totals] = (
        await db.pool.query(`SELECT sum(paid)::bigint AS paid, sum(requested)::bigint AS requested FROM "${db.schema}".balances WHERE program_id = $1`, [id])
      ).rows;
      expect({ paid: Number(totals.paid), requested: Number(totals.requested) }).toEqual({ paid: 60_000, requested: 0 });
      await expectLedgerMatchesBalances(id);
    });

    it('a claim of payouts to send skips those another open transaction holds, instead of waiting for it', async () => {
      // Store-only: the memory store runs one transaction at a time, so two claims never overlap there.
      const { onehop, clock, id } = engine();
      await payees(onehop, 5, 1000);
      await onehop.createPayoutRun({ runId: 'r1', before: new Date(clock.now().getTime() + 3_600_000), adminId: 'admin' });
      const store = createPostgresStore({ pool: db.pool, schema: db.schema });
      const scope = { programId: id, mode: 'mock' as const };
      const claim = { now: clock.now(), methodTypes: ['paypal'], limit: 3 };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let first: string[] = [];
      const holding = store.transaction(async (tx) => {
        first = (await tx.payouts.claimSendable(scope, claim)).map((p) => p.id);
        await held;
      });
      while (first.length === 0) await new Promise((r) => setTimeout(r, 5));
      const second = (await store.transaction((tx) => tx.payouts.claimSendable(scope, claim))).map((p) => p.id);
      release();
      await holding;
      expect(first).toHaveLength(3);
      expect(second).toHaveLength(2);
      expect([...first, ...second].sort()).toEqual((await rows('payouts', id)).map((p) => String(p.id)).sort());
    });

    it('serialisation failures are retried a bounded number of times, then surface as a typed retryable error', async () => {
      // At REPEATABLE READ, concurrent updates of one balance row fail with a real 40001. Each transaction's BEGIN asks for it (a pooler in
      // transaction mode refuses session options at connect time).
      const strictPool = new pg.Pool({ connectionString: target.url, max: 10 });
      const strict: PoolLike = {
        async connect() {
          const client = await strictPool.connect();
          const wrapped: PooledClient & { on: pg.PoolClient['on']; off: pg.PoolClient['off'] } = {
            query: (statement: string | QueryConfig, values?: unknown[]) =>
              statement === 'BEGIN'
                ? client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
                : typeof statement === 'string'
                  ? client.query(statement, values)
                  : client.query(statement),
            release: (destroy) => client.release(destroy),
            on: client.on.bind(client),
            off: client.off.bind(client),
          };
          return wrapped;
        },
      };
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
        await strictPool.end();
      }
    });
  });
