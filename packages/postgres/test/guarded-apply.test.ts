/**
 * A purchase reads, decides, then applies its write set in one statement
 * guarded by the referrer's version (tables/accruals.ts). Store-only, on a
 * real server: the interleaving these tests force (another purchase of the
 * same referrer committing between one call's read and its apply) is made by
 * holding one call's statements back at the driver, and only a store whose
 * calls run side by side can lose a guard; the memory store runs calls one
 * at a time, so its guard never fails between a call's read and apply.
 * Needs DATABASE_URL; without it the tests skip and say why.
 */
import { createManualClock, createOnehop } from '@onehop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PoolLike } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, poolAround as poolAroundOf, type ServerDatabase, serverDatabase } from './databases';

let programs = 0;

describe.skipIf(!DATABASE_URL)(`guarded apply (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    db = await serverDatabase('guarded', 12, DATABASE_URL);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** The test pool, with `around` wrapped around each statement a checked-out client sends. */
  const poolAround = (around: (text: string, send: () => Promise<{ rows: Record<string, unknown>[] }>) => Promise<{ rows: Record<string, unknown>[] }>): PoolLike =>
    poolAroundOf(db.pool, around);

  function engine(pool: PoolLike) {
    const id = `guard-${Date.now().toString(36)}-${++programs}`;
    const onehop = createOnehop({
      store: createPostgresStore({ pool, schema: db.schema }),
      clock: createManualClock('2026-03-15T12:00:00.000Z'),
      // 10 % of each purchase, at most 1,000 a month per referrer.
      program: {
        id,
        currency: 'USD',
        mode: 'mock',
        commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, caps: { perReferrer: { amount: 1_000, period: 'month' } } },
      },
    });
    return { onehop, id };
  }

  const count = async (table: string, programId: string, where = 'true') =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM "${db.schema}".${table} WHERE program_id = $1 AND ${where}`, [programId])).rows[0].n);

  it('a purchase whose guard another purchase of the same referrer took between its read and its apply writes nothing, then reads again and decides on the fresh state', async () => {
    const isRead = (text: string) => text.includes('p.xmin::text AS p_version');
    const isApply = (text: string) => text.startsWith('WITH g AS (');
    // Bob's purchase (the first call) is held after its read until Carol's has committed.
    let holding = true;
    let readDone!: () => void;
    const firstRead = new Promise<void>((resolve) => (readDone = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    const lostApplyLeftNothing: boolean[] = [];
    let programId = '';
    const bobPool = poolAround(async (text, send) => {
      sent.push(isRead(text) ? 'read' : isApply(text) ? 'apply' : text.split(/\s/, 1)[0]!.toUpperCase());
      const result = await send();
      if (isRead(text) && holding) {
        holding = false;
        readDone();
        await released;
      }
      if (isApply(text) && Number(result.rows[0]!.applied) === 0) {
        lostApplyLeftNothing.push(
          (await count('source_events', programId, "event_id = 'pi_bob'")) === 0 && (await count('commissions', programId, "source_event_id = 'pi_bob'")) === 0,
        );
      }
      return result;
    });
    const setup = engine(db.pool);
    programId = setup.id;
    const { participant } = await setup.onehop.enroll({ userId: 'alice' });
    await setup.onehop.attribute({ refereeId: 'bob', code: participant.code });
    await setup.onehop.attribute({ refereeId: 'carol', code: participant.code });
    // Bob's engine sends through the held pool; Carol's through the plain one. Same program, same tables.
    const bob = createOnehop({
      store: createPostgresStore({ pool: bobPool, schema: db.schema }),
      clock: createManualClock('2026-03-15T12:00:00.000Z'),
      program: {
        id: setup.id,
        currency: 'USD',
        mode: 'mock',
        commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, caps: { perReferrer: { amount: 1_000, period: 'month' } } },
      },
    });
    const at = new Date('2026-03-15T12:00:00.000Z');
    const bobs = bob.recordPurchase({ eventId: 'pi_bob', refereeId: 'bob', amount: 6_000, currency: 'USD', occurredAt: at });
    await firstRead;
    // Bob's call read a cap with 1,000 left; Carol's purchase now takes 600 of it.
    const carols = await setup.onehop.recordPurchase({ eventId: 'pi_carol', refereeId: 'carol', amount: 6_000, currency: 'USD', occurredAt: at });
    expect(carols).toMatchObject({ status: 'recorded', commissions: [{ amount: 600 }] });
    release();
    const result = await bobs;
    // Decided on the state it read first, Bob's line would be 600 and the month would pay 1,200. Decided again, it is what was left.
    expect(result).toMatchObject({ status: 'recorded', replayed: false, commissions: [{ amount: 400 }] });
    expect(lostApplyLeftNothing).toEqual([true]);
    // Read (which also finds any refunds kept before the purchase, in the same statement), the lost apply (sent alone, it wrote nothing),
    // then, with the referrer that won the race locked first (the locking read is a no-op UPDATE), one read and the apply in that transaction.
    expect(sent).toEqual(['read', 'apply', 'BEGIN', 'UPDATE', 'read', 'apply', 'COMMIT']);
    const paid = (await db.pool.query(`SELECT sum(amount) AS total FROM "${db.schema}".commissions WHERE program_id = $1`, [setup.id])).rows[0].total;
    expect(Number(paid)).toBe(1_000);
    const capCounter = (await db.pool.query(`SELECT value FROM "${db.schema}".counters WHERE program_id = $1 AND owner_id = 'alice' AND name = 'commission'`, [setup.id]))
      .rows;
    expect(capCounter.map((r) => Number(r.value))).toEqual([1_000]);
    expect(await count('ledger_entries', setup.id)).toBe(2);
  });

  it('a hot referrer: 24 concurrent purchases of one referrer’s referees all make progress, and the cap is exact', async () => {
    const { onehop, id } = engine(db.pool);
    const { participant } = await onehop.enroll({ userId: 'alice' });
    for (let i = 0; i < 24; i++) await onehop.attribute({ refereeId: `r-${i}`, code: participant.code });
    const at = new Date('2026-03-15T12:00:00.000Z');
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => onehop.recordPurchase({ eventId: `pi_${i}`, refereeId: `r-${i}`, amount: 700, currency: 'USD', occurredAt: at })),
    );
    expect(results.every((r) => r.status === 'recorded')).toBe(true);
    expect(await count('source_events', id, "kind = 'purchase'")).toBe(24);
    // 70 a purchase against a cap of 1,000: fourteen full lines, one of 20, then nothing.
    const amounts = (await db.pool.query(`SELECT amount FROM "${db.schema}".commissions WHERE program_id = $1`, [id])).rows
      .map((r) => Number(r.amount))
      .sort((a, b) => b - a);
    expect(amounts).toEqual([...Array.from({ length: 14 }, () => 70), 20]);
    const balance = (await db.pool.query(`SELECT pending FROM "${db.schema}".balances WHERE program_id = $1 AND account_id = 'alice'`, [id])).rows[0];
    expect(Number(balance.pending)).toBe(1_000);
    const referrals = (await db.pool.query(`SELECT sum(purchase_count) AS n FROM "${db.schema}".referrals WHERE program_id = $1`, [id])).rows[0];
    expect(Number(referrals.n)).toBe(24);
  });
  it('shared guards: 24 concurrent purchases of one referrer’s referees, two per referee (no cap, no tier: a later purchase reads only its referral), all recorded once with exact amounts', async () => {
    const id = `guard-${Date.now().toString(36)}-${++programs}`;
    const onehop = createOnehop({
      store: createPostgresStore({ pool: db.pool, schema: db.schema }),
      clock: createManualClock('2026-03-15T12:00:00.000Z'),
      program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
    });
    const { participant } = await onehop.enroll({ userId: 'alice' });
    for (let i = 0; i < 12; i++) await onehop.attribute({ refereeId: `r-${i}`, code: participant.code });
    const at = new Date('2026-03-15T12:00:00.000Z');
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        onehop.recordPurchase({ eventId: `pi_${i}`, refereeId: `r-${i % 12}`, amount: 1_000 + i * 10, currency: 'USD', occurredAt: at }),
      ),
    );
    expect(results.every((r) => r.status === 'recorded' && !r.replayed)).toBe(true);
    expect(await count('commissions', id)).toBe(24);
    const total = Array.from({ length: 24 }, (_, i) => (1_000 + i * 10) / 10).reduce((a, b) => a + b, 0);
    const balance = (await db.pool.query(`SELECT pending FROM "${db.schema}".balances WHERE program_id = $1 AND account_id = 'alice'`, [id])).rows[0];
    expect(Number(balance.pending)).toBe(total);
    const referrals = (await db.pool.query(`SELECT purchase_count, revenue, status FROM "${db.schema}".referrals WHERE program_id = $1 ORDER BY referee_id`, [id])).rows;
    expect(referrals.every((r) => Number(r.purchase_count) === 2 && r.status === 'qualified')).toBe(true);
    expect(referrals.reduce((sum, r) => sum + Number(r.revenue), 0)).toBe(total * 10);
    const qualified = (await db.pool.query(`SELECT value FROM "${db.schema}".counters WHERE program_id = $1 AND owner_id = 'alice' AND name = 'qualified'`, [id])).rows;
    expect(qualified.map((r) => Number(r.value))).toEqual([12]);
  });

  it('random concurrent batches of purchases and redeliveries for two referrers (seeded): each event recorded once, and caps, milestones, counters, referrals and balances agree with the rows', async () => {
    // Whatever order the purchases apply in, the month pays min(cap, sum of 10 %), each referrer reaching 3 qualified referrals gets one bonus.
    let seed = Number(process.env.ONEHOP_GUARD_SEED ?? 20261202);
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const id = `guard-${Date.now().toString(36)}-${++programs}`;
    const onehop = createOnehop({
      store: createPostgresStore({ pool: db.pool, schema: db.schema }),
      clock: createManualClock('2026-03-15T12:00:00.000Z'),
      program: {
        id,
        currency: 'USD',
        mode: 'mock',
        commission: {
          rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } },
          caps: { perReferrer: { amount: 2_000, period: 'month' } },
          milestones: [{ qualifiedReferrals: 3, amount: 500 }],
        },
      },
    });
    const referrers = ['ann', 'ben'];
    const referees: Record<string, string> = {};
    for (const referrer of referrers) {
      const { participant } = await onehop.enroll({ userId: referrer });
      for (let i = 0; i < 5; i++) {
        await onehop.attribute({ refereeId: `${referrer}-${i}`, code: participant.code });
        referees[`${referrer}-${i}`] = referrer;
      }
    }
    const at = new Date('2026-03-15T12:00:00.000Z');
    const sent = new Map<string, { refereeId: string; amount: number }>();
    const firstResults = new Map<string, string[]>();
    for (let batch = 0; batch < 6; batch++) {
      const calls: { eventId: string; refereeId: string; amount: number }[] = [];
      for (let k = 0; k < 8; k++) {
        const earlier = [...sent.keys()];
        if (earlier.length > 0 && random() < 0.25) {
          const eventId = earlier[Math.floor(random() * earlier.length)]!;
          calls.push({ eventId, ...sent.get(eventId)! });
        } else {
          const eventId = `pi_${batch}_${k}`;
          const purchase = { refereeId: Object.keys(referees)[Math.floor(random() * 10)]!, amount: 10 * (1 + Math.floor(random() * 400)) };
          sent.set(eventId, purchase);
          // The same new event twice in one batch: a redelivery racing its first delivery.
          calls.push({ eventId, ...purchase });
          if (random() < 0.3) calls.push({ eventId, ...purchase });
        }
      }
      const results = await Promise.all(calls.map((c) => onehop.recordPurchase({ ...c, currency: 'USD', occurredAt: at })));
      for (const [i, r] of results.entries()) {
        if (r.status !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(r)}`);
        const ids = r.commissions.map((c) => c.id);
        const first = firstResults.get(calls[i]!.eventId);
        if (first === undefined) firstResults.set(calls[i]!.eventId, ids);
        else expect(ids).toEqual(first);
      }
    }
    const q = async (text: string) => (await db.pool.query(text.replaceAll('S.', `"${db.schema}".`), [id])).rows as Record<string, unknown>[];
    expect(Number((await q(`SELECT count(*) AS n FROM S.source_events WHERE program_id = $1 AND kind = 'purchase'`))[0]!.n)).toBe(sent.size);
    for (const referrer of referrers) {
      const mine = [...sent.values()].filter((p) => referees[p.refereeId] === referrer);
      const lines = await q(`SELECT kind, amount FROM S.commissions WHERE program_id = $1 AND beneficiary_id = '${referrer}'`);
      const paid = lines.filter((l) => l.kind === 'referral').reduce((sum, l) => sum + Number(l.amount), 0);
      expect(paid).toBe(
        Math.min(
          2_000,
          mine.reduce((sum, p) => sum + p.amount / 10, 0),
        ),
      );
      const qualified = new Set(mine.map((p) => p.refereeId)).size;
      expect(lines.filter((l) => l.kind === 'milestone_bonus').map((l) => Number(l.amount))).toEqual(qualified >= 3 ? [500] : []);
      const counters = Object.fromEntries(
        (await q(`SELECT name, period, value FROM S.counters WHERE program_id = $1 AND owner_id = '${referrer}' AND name IN ('commission', 'qualified')`)).map((c) => [
          `${c.name}:${c.period}`,
          Number(c.value),
        ]),
      );
      expect(counters['commission:2026-03'] ?? 0).toBe(paid);
      expect(counters['qualified:all'] ?? 0).toBe(qualified);
      const balance = (await q(`SELECT pending FROM S.balances WHERE program_id = $1 AND account_id = '${referrer}'`))[0];
      const ledger = (await q(`SELECT coalesce(sum(amount), 0) AS total FROM S.ledger_entries WHERE program_id = $1 AND account_id = '${referrer}'`))[0]!;
      expect(Number(balance?.pending ?? 0)).toBe(Number(ledger.total));
      expect(Number(ledger.total)).toBe(paid + (qualified >= 3 ? 500 : 0));
    }
    for (const r of await q(`SELECT referee_id, status, purchase_count, revenue FROM S.referrals WHERE program_id = $1`)) {
      const mine = [...sent.values()].filter((p) => p.refereeId === r.referee_id);
      expect([r.status, Number(r.purchase_count), Number(r.revenue)]).toEqual([
        mine.length > 0 ? 'qualified' : 'pending',
        mine.length,
        mine.reduce((sum, p) => sum + p.amount, 0),
      ]);
    }
  });

  // Store-only: the PostgreSQL apply sends the program and mode once for all rows ($1, $2), so it checks that every row is in the guard's scope.
  it('refuses a write set with a row of another program or mode', async () => {
    const { onehop, id } = engine(db.pool);
    await onehop.enroll({ userId: 'alice' });
    const sent: string[] = [];
    const store = createPostgresStore({
      pool: poolAroundOf(db.pool, (text, send) => {
        sent.push(text);
        return send();
      }),
      schema: db.schema,
    });
    const at = new Date('2026-03-15T12:00:00.000Z');
    const row = (programId: string, mode: 'mock' | 'live' = 'mock') => ({
      programId,
      mode,
      id: `led_${programId}`,
      accountId: 'alice',
      bucket: 'pending' as const,
      amount: 100,
      kind: 'adjustment' as const,
      commissionId: null,
      payoutId: null,
      sourceType: 'adjustment' as const,
      sourceId: 'adj_1',
      actor: { type: 'system' as const, id: null },
      reason: null,
      at,
    });
    const apply = (ledger: ReturnType<typeof row>[]) =>
      store.transaction((tx) =>
        tx.accruals.apply({
          guard: { scope: { programId: id, mode: 'mock' }, participantId: 'alice', version: 0, exclusive: false, referral: null },
          commissions: [],
          ledger,
          balances: [],
          counters: [],
          referrals: [],
          events: [],
          audit: [],
          reviews: [],
          fingerprints: [],
          outbox: [],
        }),
      );
    // Refused before any statement is sent: a row of another program, and one of the same program's other mode.
    await expect(apply([row(id), row(`${id}-other`)])).rejects.toThrow(/outside the guard's scope/);
    await expect(apply([row(id), row(id, 'live')])).rejects.toThrow(/outside the guard's scope/);
    expect(sent.filter((text) => text.startsWith('WITH g AS ('))).toEqual([]);
  });

  // Store-only: which plan nodes a statement runs is the PostgreSQL store's own concern. A new purchase has no stored event, so its read
  // must not run the lookup of an event's commission lines: that lookup's plan, on tables whose statistics are missing or stale, can walk
  // every commission of the program.
  it("a new purchase's read runs no lookup in the commissions table", async () => {
    const isRead = (text: string) => text.includes('p.xmin::text AS p_version');
    let read: { text: string; values: unknown[] } | null = null;
    const recording = poolAroundOf(db.pool, async (text, send, _client, values) => {
      if (isRead(text) && read === null) read = { text, values: values ?? [] };
      return send();
    });
    const { id } = engine(db.pool);
    const onehop = createOnehop({
      store: createPostgresStore({ pool: recording, schema: db.schema }),
      clock: createManualClock('2026-03-15T12:00:00.000Z'),
      program: { id, currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
    });
    const { participant } = await onehop.enroll({ userId: 'alice' });
    await onehop.attribute({ refereeId: 'bob', code: participant.code });
    await onehop.recordPurchase({ eventId: 'pi_new', refereeId: 'bob', amount: 1_000, currency: 'USD', occurredAt: new Date('2026-03-15T12:00:00.000Z') });
    expect(read).not.toBeNull();
    const { text, values } = read!;
    // The same read for a purchase not stored yet ($5 is the event id: pi_new is stored by now).
    expect(values[4]).toBe('pi_new');
    const explained = await db.pool.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
      values.map((v, i) => (i === 4 ? 'pi_next' : v)),
    );
    type PlanNode = { 'Relation Name'?: string; 'Actual Loops'?: number; Plans?: PlanNode[] };
    const loopsOn = (node: PlanNode, table: string): number =>
      (node['Relation Name'] === table ? (node['Actual Loops'] ?? 0) : 0) + (node.Plans ?? []).reduce((sum, child) => sum + loopsOn(child, table), 0);
    const plan = (explained.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
    expect(loopsOn(plan, 'source_events')).toBeGreaterThan(0);
    expect(loopsOn(plan, 'commissions')).toBe(0);
  });
});
