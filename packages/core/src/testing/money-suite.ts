// Over 300 lines: the money scenarios (rules, lifecycle, ledger, payouts) share their setup and balance checks; the worked rounding examples live in rounding-examples.ts.
import {
  BUCKETS,
  type Bucket,
  type CommissionConfig,
  createOnehop,
  type ManualClock,
  type Onehop,
  type ProgramConfigInput,
  type PurchaseResult,
  type Scope,
  type Store,
} from '@onehop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_EXAMPLES } from './rounding-examples';

/** The title ending of a test skipped because the store refuses live mode (`supportsLiveMode: false`). */
export const LIVE_MODE_SKIPPED = ': skipped, this store refuses live mode (supportsLiveMode: false)';

export type Setup = (program?: Partial<ProgramConfigInput>) => Promise<{ onehop: Onehop; clock: ManualClock; store: Store; scope: Scope }>;

type CommissionInput = Partial<Omit<CommissionConfig, 'rule'>> & { rule: CommissionConfig['rule'] | Record<string, unknown> };

const DAY = 86_400_000;

/** Asserts the ledger invariant: each bucket of each account equals the sum of its entries. */
export async function expectBalanced(onehop: Onehop, accounts: string[]): Promise<void> {
  const scope: Scope = { programId: onehop.program.id, mode: onehop.mode };
  for (const account of accounts) {
    const { entries, row } = await onehop.store.transaction(async (tx) => ({
      entries: await tx.ledger.listByAccount(scope, account, { limit: 1_000_000 }),
      row: await tx.balances.get(scope, account),
    }));
    const sums = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
    for (const e of entries) {
      expect(Number.isSafeInteger(e.amount), 'ledger amounts are integers').toBe(true);
      sums[e.bucket] += e.amount;
    }
    for (const bucket of BUCKETS) expect(row?.[bucket] ?? 0, `${account} ${bucket}`).toBe(sums[bucket]);
  }
}

function recorded(result: PurchaseResult) {
  if (result.status !== 'recorded') throw new Error(`expected recorded, got ${result.status}: ${result.message}`);
  return result;
}

/** The money half of the conformance suite: rules, lifecycle, ledger and payouts. */
export function moneySuite(setup: Setup, options: { propertyRuns: number; supportsLiveMode: boolean }): void {
  async function program(commission: CommissionInput, extra: Partial<ProgramConfigInput> = {}) {
    const ctx = await setup({ commission: { holdingDays: 30, ...commission } as ProgramConfigInput['commission'], ...extra });
    await ctx.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    let n = 0;
    const refer = async (refereeId = `referee-${++n}`) => {
      const result = await ctx.onehop.attribute({ refereeId, code: 'ALICE123' });
      if (!result.ok) throw new Error(result.reason);
      return refereeId;
    };
    const buy = async (refereeId: string, amount: number, extra: { eventId?: string; productId?: string; occurredAt?: Date } = {}) =>
      ctx.onehop.recordPurchase({
        eventId: extra.eventId ?? `pi_${refereeId}_${++n}`,
        refereeId,
        amount,
        currency: ctx.onehop.program.currency,
        occurredAt: extra.occurredAt ?? ctx.clock.now(),
        ...(extra.productId ? { productId: extra.productId } : {}),
      });
    return { ...ctx, refer, buy };
  }

  const percent = (rateBps: number, scope: Record<string, unknown> = { type: 'lifetime' }): CommissionInput => ({
    rule: { type: 'percentage', rateBps, scope } as never,
  });

  describe('purchases', () => {
    it('the first payment qualifies the referral and a fixed reward accrues once', async () => {
      const { onehop, refer, buy } = await program({ rule: { type: 'fixed', amount: 2000 } });
      const bob = await refer('bob');
      const first = recorded(await buy(bob, 4900));
      expect(first.qualified).toBe(true);
      expect(first.commissions).toHaveLength(1);
      expect(first.commissions[0]).toMatchObject({
        kind: 'referral',
        beneficiaryId: 'alice',
        amount: 2000,
        status: 'pending',
        calculation: { rule: 'fixed', source: 'base', fixedAmount: 2000 },
      });
      expect(await onehop.getReferralByReferee('bob')).toMatchObject({ status: 'qualified', purchaseCount: 1, revenue: 4900 });
      const second = recorded(await buy(bob, 4900));
      expect(second.qualified).toBe(false);
      expect(second.commissions).toEqual([]);
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 2000, withdrawable: 0, currency: 'USD' });
      await expectBalanced(onehop, ['alice']);
    });

    it('a purchase by a user who was not referred records nothing and says why', async () => {
      const { onehop, buy, store, scope } = await program(percent(1000));
      expect(await buy('stranger', 1000, { eventId: 'pi_x' })).toMatchObject({ status: 'ignored', reason: 'NO_REFERRAL' });
      expect(await store.transaction((tx) => tx.events.get(scope, 'purchase', 'pi_x'))).toBeNull();
      expect(await onehop.listLedger('alice')).toEqual([]);
    });

    it('a purchase on a rejected referral records nothing', async () => {
      const { onehop, refer, buy, store, scope } = await program(percent(1000));
      const bob = await refer('bob');
      const referral = await onehop.getReferralByReferee(bob);
      await store.transaction((tx) => tx.referrals.update(scope, referral!.id, { status: 'rejected', statusReason: 'fraud' }));
      expect(await buy(bob, 1000)).toMatchObject({ status: 'ignored', reason: 'REFERRAL_REJECTED' });
      expect(await onehop.listLedger('alice')).toEqual([]);
    });

    it('refuses a purchase in another currency, writing nothing', async () => {
      const { onehop, refer } = await program(percent(1000));
      const bob = await refer('bob');
      await expect(onehop.recordPurchase({ eventId: 'e1', refereeId: bob, amount: 100, currency: 'EUR', occurredAt: new Date() })).rejects.toMatchObject({
        code: 'CURRENCY_MISMATCH',
        field: 'currency',
      });
      // A code that is no currency at all is bad input, not another program's currency.
      for (const currency of ['QQQ', 'XYZ']) {
        await expect(onehop.recordPurchase({ eventId: 'e1', refereeId: bob, amount: 100, currency, occurredAt: new Date() })).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
          field: 'currency',
          message: expect.stringMatching(/ISO 4217/),
        });
      }
      await expect(onehop.recordPurchase({ eventId: 'e1', refereeId: bob, amount: 10.5, currency: 'USD', occurredAt: new Date() })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'amount',
      });
      expect((await onehop.getReferralByReferee(bob))?.status).toBe('pending');
    });

    it('is idempotent by event id: a redelivery returns the stored result and changes nothing', async () => {
      const { onehop, refer, buy } = await program(percent(2000));
      const bob = await refer('bob');
      const first = recorded(await buy(bob, 1000, { eventId: 'pi_1', occurredAt: new Date('2026-03-01T12:30:00Z') }));
      const ledgerBefore = await onehop.listLedger('alice');
      const again = recorded(await buy(bob, 1000, { eventId: 'pi_1', occurredAt: new Date('2026-03-01T12:30:00Z') }));
      expect(again.replayed).toBe(true);
      expect(again.commissions.map((c) => c.id)).toEqual(first.commissions.map((c) => c.id));
      expect(await onehop.listLedger('alice')).toEqual(ledgerBefore);
      expect((await onehop.getReferralByReferee(bob))?.purchaseCount).toBe(1);
      await expect(buy(bob, 1001, { eventId: 'pi_1', occurredAt: new Date('2026-03-01T12:30:00Z') })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_CONFLICT',
        field: 'eventId',
      });
      expect(await onehop.listLedger('alice')).toEqual(ledgerBefore);
    });

    it('concurrent deliveries of one event accrue exactly one commission', async () => {
      const { onehop, refer, buy } = await program(percent(2000));
      const bob = await refer('bob');
      const at = new Date('2026-03-01T12:30:00Z');
      const results = await Promise.all(Array.from({ length: 20 }, () => buy(bob, 1000, { eventId: 'pi_race', occurredAt: at })));
      expect(results.filter((r) => r.status === 'recorded' && !r.replayed)).toHaveLength(1);
      expect(await onehop.listCommissions('alice')).toHaveLength(1);
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 200 });
      await expectBalanced(onehop, ['alice']);
    });
  });

  describe('rounding', () => {
    // The worked examples live in rounding-examples.ts; a purchase amount is positive.
    it.each(ROUNDING_EXAMPLES.filter(([amount]) => amount > 0))('%i at %i bp (%s) → %i, rounded once per line', async (amount, bps, rounding, expected) => {
      const { refer, buy } = await program({ ...percent(bps), rounding });
      const line = recorded(await buy(await refer(), amount)).commissions[0];
      expect(line).toMatchObject({ amount: expected, calculation: { rateBps: bps, baseAmount: amount, rounding, uncapped: expected } });
    });

    it('works in currencies without minor units and with three', async () => {
      const jpy = await program(percent(1500), { currency: 'JPY' });
      expect(recorded(await jpy.buy(await jpy.refer(), 1999)).commissions[0]?.amount).toBe(300);
      const kwd = await program(percent(1500), { currency: 'KWD' });
      expect(recorded(await kwd.buy(await kwd.refer(), 1999)).commissions[0]?.amount).toBe(300);
      expect(kwd.onehop.program.currencyExponent).toBe(3);
    });
  });

  describe('percentage scopes', () => {
    it('first purchase only', async () => {
      const { refer, buy } = await program(percent(1000, { type: 'first_purchase' }));
      const bob = await refer();
      expect(recorded(await buy(bob, 1000)).commissions).toHaveLength(1);
      expect(recorded(await buy(bob, 1000)).commissions).toHaveLength(0);
    });

    it('at most N purchases', async () => {
      const { refer, buy } = await program(percent(1000, { type: 'max_purchases', count: 2 }));
      const bob = await refer();
      const counts = [];
      for (let i = 0; i < 4; i++) counts.push(recorded(await buy(bob, 1000)).commissions.length);
      expect(counts).toEqual([1, 1, 0, 0]);
    });

    it('within N months of the referral', async () => {
      const { refer, buy, clock } = await program(percent(1000, { type: 'within_months', months: 3 }));
      const bob = await refer();
      const start = clock.now().getTime();
      expect(recorded(await buy(bob, 1000, { occurredAt: new Date(start + 80 * DAY) })).commissions).toHaveLength(1);
      expect(recorded(await buy(bob, 1000, { occurredAt: new Date(start + 95 * DAY) })).commissions).toHaveLength(0);
    });

    it('lifetime', async () => {
      const { refer, buy, clock } = await program(percent(1000, { type: 'lifetime' }));
      const bob = await refer();
      expect(recorded(await buy(bob, 1000, { occurredAt: new Date(clock.now().getTime() + 3000 * DAY) })).commissions).toHaveLength(1);
    });
  });

  describe('tiers', () => {
    const tiered = (extra: Record<string, unknown> = {}): CommissionInput => ({
      rule: {
        type: 'tiered',
        basis: 'qualified_referrals',
        period: 'all_time',
        scope: { type: 'lifetime' },
        tiers: [
          { from: 1, rateBps: 2000 },
          { from: 21, rateBps: 2500 },
        ],
        ...extra,
      } as never,
    });

    it('1–20 qualified → 20 %, 21–50 → 25 %: the tier applies to accruals after the one that reaches it', async () => {
      const { onehop, refer, buy } = await program(tiered());
      const amounts: number[] = [];
      for (let i = 0; i < 25; i++) amounts.push(recorded(await buy(await refer(), 1000)).commissions[0]!.amount);
      expect(amounts.filter((a) => a === 200)).toHaveLength(21);
      expect(amounts.slice(21)).toEqual([250, 250, 250, 250]);
      const changes = await onehop.auditTrail('tier', 'alice');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ action: 'tier.changed', before: '0', after: '1', data: { count: 21, from: 21 } });
      const last = (await onehop.listCommissions('alice')).at(-1);
      expect(last?.calculation).toMatchObject({ rule: 'tiered', source: 'tier', rateBps: 2500, tier: { index: 1, from: 21, countBefore: 24 } });
    });

    it('“1–20 at 20 %, 21+ at 25 %” written as config: from 0 and from 20 (from is the count before the accrual)', async () => {
      const { refer, buy } = await program(
        tiered({
          tiers: [
            { from: 0, rateBps: 2000 },
            { from: 20, rateBps: 2500 },
          ],
        }),
      );
      const amounts: number[] = [];
      for (let i = 0; i < 22; i++) amounts.push(recorded(await buy(await refer(), 1000)).commissions[0]!.amount);
      expect(amounts.slice(0, 20)).toEqual(Array(20).fill(200));
      expect(amounts.slice(20)).toEqual([250, 250]);
    });

    it('concurrent purchases crossing a threshold pay exactly the right number at each rate', async () => {
      const { onehop, refer, buy } = await program(tiered());
      for (let i = 0; i < 10; i++) await buy(await refer(), 1000);
      const referees = [];
      for (let i = 0; i < 20; i++) referees.push(await refer());
      await Promise.all(referees.map((r) => buy(r, 1000)));
      const amounts = (await onehop.listCommissions('alice')).map((c) => c.amount);
      expect(amounts.filter((a) => a === 200)).toHaveLength(21);
      expect(amounts.filter((a) => a === 250)).toHaveLength(9);
    });

    it('a monthly tier starts again each calendar month in the program time zone', async () => {
      const { refer, buy } = await program(
        tiered({
          period: 'month',
          tiers: [
            { from: 0, rateBps: 1000 },
            { from: 2, rateBps: 3000 },
          ],
        }),
        { timeZone: 'Europe/Berlin' },
      );
      const march = new Date('2026-03-10T12:00:00Z');
      const rates = [];
      for (let i = 0; i < 3; i++) rates.push(recorded(await buy(await refer(), 1000, { occurredAt: march })).commissions[0]!.amount);
      // 2026-03-31T22:30Z is already April in Berlin.
      rates.push(recorded(await buy(await refer(), 1000, { occurredAt: new Date('2026-03-31T22:30:00Z') })).commissions[0]!.amount);
      expect(rates).toEqual([100, 100, 300, 100]);
    });

    it('tiers on referred revenue', async () => {
      const { refer, buy } = await program(
        tiered({
          basis: 'referred_revenue',
          tiers: [
            { from: 0, rateBps: 1000 },
            { from: 5000, rateBps: 2000 },
          ],
        }),
      );
      const bob = await refer();
      const amounts = [];
      for (let i = 0; i < 3; i++) amounts.push(recorded(await buy(bob, 3000)).commissions[0]!.amount);
      expect(amounts).toEqual([300, 300, 600]);
    });

    it('fixed amounts per tier pay once per qualified referral', async () => {
      const { refer, buy } = await program({
        rule: {
          type: 'tiered',
          tiers: [
            { from: 0, amount: 500 },
            { from: 2, amount: 800 },
          ],
        } as never,
      });
      const amounts = [];
      for (let i = 0; i < 3; i++) {
        const bob = await refer();
        amounts.push(recorded(await buy(bob, 100)).commissions[0]!.amount);
        expect(recorded(await buy(bob, 100)).commissions).toEqual([]);
      }
      expect(amounts).toEqual([500, 500, 800]);
    });
  });

  describe('promotions, product overrides, precedence', () => {
    const start = new Date('2026-03-05T00:00:00Z');
    const end = new Date('2026-03-10T00:00:00Z');

    it('a promotion applies in [start, end)', async () => {
      const { refer, buy } = await program({ ...percent(1000), promotions: [{ id: 'double', start, end, rateBps: 2000 }] });
      const bob = await refer();
      const at = (iso: string) => ({ occurredAt: new Date(iso) });
      expect(recorded(await buy(bob, 1000, at('2026-03-04T23:59:59Z'))).commissions[0]?.amount).toBe(100);
      expect(recorded(await buy(bob, 1000, at('2026-03-05T00:00:00Z'))).commissions[0]).toMatchObject({
        amount: 200,
        calculation: { source: 'promotion', promotionId: 'double' },
      });
      expect(recorded(await buy(bob, 1000, at('2026-03-10T00:00:00Z'))).commissions[0]?.amount).toBe(100);
    });

    it('product override > promotion > tier > base', async () => {
      const { refer, buy } = await program({
        rule: {
          type: 'tiered',
          scope: { type: 'lifetime' },
          tiers: [
            { from: 0, rateBps: 1000 },
            { from: 1, rateBps: 1500 },
          ],
        } as never,
        promotions: [{ id: 'spring', start, end, rateBps: 3000 }],
        productOverrides: [{ productIds: ['low-margin'], rateBps: 500 }],
      });
      const bob = await refer();
      const during = new Date('2026-03-06T00:00:00Z');
      const after = new Date('2026-03-20T00:00:00Z');
      const line = async (productId: string | undefined, occurredAt: Date) =>
        recorded(await buy(bob, 1000, { occurredAt, ...(productId ? { productId } : {}) })).commissions[0]!;
      expect((await line(undefined, after)).calculation).toMatchObject({ source: 'tier', rateBps: 1000 });
      expect((await line(undefined, after)).calculation).toMatchObject({ source: 'tier', rateBps: 1500 });
      expect((await line(undefined, during)).calculation).toMatchObject({ source: 'promotion', rateBps: 3000 });
      expect((await line('low-margin', during)).calculation).toMatchObject({ source: 'product_override', rateBps: 500, productId: 'low-margin' });
    });

    it('a product override can pay a fixed amount, and a promotion can be limited to products', async () => {
      const { refer, buy } = await program({
        ...percent(1000),
        productOverrides: [{ productIds: ['annual'], amount: 5000 }],
        promotions: [{ id: 'pro-week', start, end, rateBps: 4000, productIds: ['pro'] }],
      });
      const bob = await refer();
      const during = new Date('2026-03-06T00:00:00Z');
      expect(recorded(await buy(bob, 100_000, { productId: 'annual' })).commissions[0]).toMatchObject({
        amount: 5000,
        calculation: { fixedAmount: 5000, baseAmount: 0 },
      });
      expect(recorded(await buy(bob, 1000, { productId: 'pro', occurredAt: during })).commissions[0]?.amount).toBe(400);
      expect(recorded(await buy(bob, 1000, { productId: 'basic', occurredAt: during })).commissions[0]?.amount).toBe(100);
    });
  });

  describe('milestones, caps, welcome rewards', () => {
    it('a milestone bonus is paid once when qualified referrals reach N', async () => {
      const { onehop, refer, buy } = await program({ rule: { type: 'fixed', amount: 1000 }, milestones: [{ qualifiedReferrals: 3, amount: 5000 }] });
      const kinds = [];
      for (let i = 0; i < 5; i++) kinds.push(recorded(await buy(await refer(), 100)).commissions.map((c) => c.kind));
      expect(kinds).toEqual([['referral'], ['referral'], ['referral', 'milestone_bonus'], ['referral'], ['referral']]);
      const bonus = (await onehop.listCommissions('alice')).find((c) => c.kind === 'milestone_bonus');
      expect(bonus).toMatchObject({ amount: 5000, sourceKind: 'bonus', calculation: { rule: 'milestone', milestone: 3 } });
    });

    it('a redelivered purchase returns its line and its milestone bonus, in their current state', async () => {
      const { onehop, refer, buy, clock } = await program({ rule: { type: 'fixed', amount: 1000 }, milestones: [{ qualifiedReferrals: 1, amount: 700 }] });
      const bob = await refer();
      const at = clock.now();
      const first = recorded(await buy(bob, 100, { eventId: 'pi_bonus', occurredAt: at }));
      expect(first.commissions.map((c) => [c.kind, c.status])).toEqual([
        ['referral', 'pending'],
        ['milestone_bonus', 'pending'],
      ]);
      await onehop.rejectCommission({ commissionId: first.commissions[1]!.id, adminId: 'admin', reason: 'bonus withdrawn' });
      const again = recorded(await buy(bob, 100, { eventId: 'pi_bonus', occurredAt: at }));
      expect(again.replayed).toBe(true);
      expect(again.commissions.map((c) => [c.id, c.status])).toEqual([
        [first.commissions[0]!.id, 'pending'],
        [first.commissions[1]!.id, 'rejected'],
      ]);
    });

    it('caps a single commission', async () => {
      const { refer, buy } = await program({ ...percent(5000), caps: { perCommission: 1000 } });
      expect(recorded(await buy(await refer(), 10_000)).commissions[0]).toMatchObject({ amount: 1000, calculation: { uncapped: 5000, cappedBy: 'per_commission' } });
    });

    it('caps what a referrer earns per period and starts again next period', async () => {
      const { refer, buy } = await program({ ...percent(1000), caps: { perReferrer: { amount: 250, period: 'month' } } });
      const bob = await refer();
      const march = new Date('2026-03-02T00:00:00Z');
      const results = [];
      for (let i = 0; i < 3; i++) results.push(recorded(await buy(bob, 1000, { occurredAt: march })));
      expect(results.map((r) => r.commissions[0]?.amount ?? 0)).toEqual([100, 100, 50]);
      const capped = recorded(await buy(bob, 1000, { occurredAt: march }));
      expect(capped.commissions).toEqual([]);
      expect(capped.skipped).toEqual([{ kind: 'referral', reason: 'CAP_REACHED' }]);
      expect(recorded(await buy(bob, 1000, { occurredAt: new Date('2026-04-02T00:00:00Z') })).commissions[0]?.amount).toBe(100);
    });

    it('credits a welcome reward to the referee when the referral qualifies', async () => {
      const { onehop, refer, buy } = await program({ rule: { type: 'fixed', amount: 2000 }, welcomeReward: { amount: 500 } });
      const bob = await refer('bob');
      const result = recorded(await buy(bob, 1000));
      expect(result.commissions.map((c) => [c.kind, c.beneficiaryId, c.amount])).toEqual([
        ['referral', 'alice', 2000],
        ['welcome_reward', 'bob', 500],
      ]);
      expect(await onehop.getBalances('bob')).toMatchObject({ pending: 500 });
      expect(recorded(await buy(bob, 1000)).commissions).toEqual([]);
      await expectBalanced(onehop, ['alice', 'bob']);
    });

    it('can qualify on sign-up: the reward accrues at attribution', async () => {
      const { onehop, buy } = await program(
        {
          rule: {
            type: 'tiered',
            tiers: [
              { from: 0, amount: 1500 },
              { from: 2, amount: 2500 },
            ],
          } as never,
        },
        { qualifyOn: 'signup' },
      );
      const amounts = [];
      for (const referee of ['m1', 'm2', 'm3']) {
        const result = await onehop.attribute({ refereeId: referee, code: 'ALICE123' });
        expect(result).toMatchObject({ ok: true, referral: { status: 'qualified' } });
        amounts.push((await onehop.listCommissions('alice')).at(-1)?.amount);
      }
      expect(amounts).toEqual([1500, 1500, 2500]);
      expect(recorded(await buy('m1', 10_000)).commissions).toEqual([]);
      expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ sourceKind: 'signup', status: 'pending' });
    });
  });

  describe('holding period and approval', () => {
    it('approveDue approves only what is past the holding period, once', async () => {
      const { onehop, refer, buy, clock } = await program(percent(1000));
      await buy(await refer(), 1000);
      clock.advanceDays(10);
      await buy(await refer(), 2000);
      clock.advanceDays(20);
      expect(await onehop.approveDue()).toEqual({ approved: 1 });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 200, withdrawable: 100 });
      expect(await onehop.approveDue()).toEqual({ approved: 0 });
      clock.advanceDays(10);
      const [a, b] = await Promise.all([onehop.approveDue(), onehop.approveDue()]);
      expect(a.approved + b.approved).toBe(1);
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0, withdrawable: 300 });
      expect((await onehop.listCommissions('alice')).map((c) => c.status)).toEqual(['approved', 'approved']);
      await expectBalanced(onehop, ['alice']);
    });

    it('concurrent approveDue runs share more due commissions than one batch: each is approved exactly once, and every run finishes', async () => {
      const { onehop, refer, buy, clock, store, scope } = await program(percent(1000));
      await onehop.enroll({ userId: 'zed', code: 'ZED12345' });
      const bob = await refer();
      const yan = (await onehop.attribute({ refereeId: 'yan', code: 'ZED12345' })).ok ? 'yan' : '';
      for (let i = 0; i < 80; i++) {
        await buy(bob, 1000);
        await buy(yan, 2000);
      }
      clock.advanceDays(10);
      await buy(bob, 5000); // not due yet
      clock.advanceDays(21);
      // The store hands out due commissions oldest first, never one still in its holding period.
      const claimed = await store.transaction((tx) => tx.commissions.claimDue(scope, clock.now(), { limit: 3 }));
      expect(claimed.map((c) => [c.beneficiaryId, c.amount, c.status])).toEqual([
        ['alice', 100, 'pending'],
        ['zed', 200, 'pending'],
        ['alice', 100, 'pending'],
      ]);
      expect((await store.transaction((tx) => tx.commissions.claimDue(scope, clock.now(), { limit: 1000 }))).length).toBe(160);

      // A limit above one batch: two batches, and not one commission more.
      expect(await onehop.approveDue({ limit: 120 })).toEqual({ approved: 120 });
      const runs = await Promise.all(Array.from({ length: 4 }, () => onehop.approveDue()));
      expect(runs.reduce((n, r) => n + r.approved, 0)).toBe(40);
      expect(await onehop.approveDue()).toEqual({ approved: 0 });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 500, withdrawable: 8000 });
      expect(await onehop.getBalances('zed')).toMatchObject({ pending: 0, withdrawable: 16_000 });
      const lines = [...(await onehop.listCommissions('alice', { limit: 1000 })), ...(await onehop.listCommissions('zed', { limit: 1000 }))];
      expect(lines.filter((c) => c.status === 'approved')).toHaveLength(160);
      for (const c of lines.slice(0, 5)) expect((await onehop.auditTrail('commission', c.id)).filter((a) => a.action === 'commission.approved')).toHaveLength(1);
      expect((await onehop.listLedger('alice', { limit: 1000 })).filter((e) => e.kind === 'approval' && e.bucket === 'withdrawable')).toHaveLength(80);
      await expectBalanced(onehop, ['alice', 'zed']);
    });
  });

  describe('refunds and chargebacks', () => {
    it('a partial refund reverses its share; the full refund nets to zero', async () => {
      const { onehop, refer, buy } = await program(percent(1000));
      const bob = await refer();
      await buy(bob, 1000, { eventId: 'pi_1' });
      const partial = await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 333 });
      expect(partial).toMatchObject({ status: 'recorded', reversals: [{ amount: 33 }] });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 67 });
      await onehop.recordRefund({ eventId: 're_2', purchaseEventId: 'pi_1', amount: 667 });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0 });
      const [commission] = await onehop.listCommissions('alice');
      expect(commission).toMatchObject({ status: 'reversed', reversedAmount: 100 });
      await expectBalanced(onehop, ['alice']);
    });

    it('is idempotent per refund event and refuses more than the purchase', async () => {
      const { onehop, refer, buy } = await program(percent(1000));
      await buy(await refer(), 1000, { eventId: 'pi_1' });
      await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 500 });
      expect(await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 500 })).toMatchObject({ replayed: true, reversals: [{ amount: 50 }] });
      await expect(onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 400 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
      await expect(onehop.recordRefund({ eventId: 're_2', purchaseEventId: 'pi_1', amount: 501 })).rejects.toMatchObject({
        code: 'REFUND_EXCEEDS_PURCHASE',
        field: 'amount',
      });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 50 });
      expect(await onehop.recordRefund({ eventId: 're_3', purchaseEventId: 'pi_unknown', amount: 1 })).toMatchObject({ status: 'ignored', reason: 'UNKNOWN_PURCHASE' });
    });

    it('a chargeback reverses like a refund, and both count toward the purchase', async () => {
      const { onehop, refer, buy } = await program(percent(2000));
      await buy(await refer(), 1000, { eventId: 'pi_1' });
      await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 400 });
      expect(await onehop.recordChargeback({ eventId: 'dp_1', purchaseEventId: 'pi_1', amount: 600 })).toMatchObject({ reversals: [{ amount: 120 }] });
      await expect(onehop.recordChargeback({ eventId: 'dp_2', purchaseEventId: 'pi_1', amount: 1 })).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_PURCHASE' });
      expect((await onehop.listCommissions('alice'))[0]?.status).toBe('reversed');
    });

    it('reverses a welcome reward with its purchase but keeps a milestone bonus', async () => {
      const { onehop, refer, buy } = await program({
        rule: { type: 'fixed', amount: 1000 },
        welcomeReward: { amount: 300 },
        milestones: [{ qualifiedReferrals: 1, amount: 700 }],
      });
      const bob = await refer('bob');
      await buy(bob, 5000, { eventId: 'pi_1' });
      await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 5000 });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 700 });
      expect(await onehop.getBalances('bob')).toMatchObject({ pending: 0 });
      await expectBalanced(onehop, ['alice', 'bob']);
    });

    it('property: any sequence of partial, duplicated and reordered refunds keeps the invariants', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.integer({ min: 1, max: 10_000 }),
          fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }),
          fc.boolean(),
          fc.array(fc.nat(), { maxLength: 4 }),
          async (price, bps, weights, refundAll, duplicates) => {
            const { onehop, refer, buy } = await program(percent(bps));
            const line = recorded(await buy(await refer(), price, { eventId: 'pi' })).commissions[0];
            const c = line?.amount ?? 0;
            // Split (all or part of) the price into refunds by the weights.
            const total = refundAll ? price : Math.floor(price / 2);
            const sum = weights.reduce((a, b) => a + b, 0);
            let left = total;
            const refunds = weights
              .map((w, i) => {
                const amount = i === weights.length - 1 ? left : Math.min(left, Math.floor((total * w) / sum));
                left -= amount;
                return { eventId: `re_${i}`, amount };
              })
              .filter((r) => r.amount > 0);
            const deliveries = [...refunds, ...duplicates.filter(() => refunds.length > 0).map((d) => refunds[d % refunds.length]!)];
            deliveries.sort((a, b) => (a.eventId < b.eventId ? 1 : -1));
            for (const r of deliveries) await onehop.recordRefund({ eventId: r.eventId, purchaseEventId: 'pi', amount: r.amount });
            const commission = line ? await onehop.getCommission(line.id) : null;
            const reversed = commission?.reversedAmount ?? 0;
            expect(reversed).toBeLessThanOrEqual(c);
            if (refundAll) expect(reversed).toBe(c);
            const balances = await onehop.getBalances('alice');
            expect(balances.pending).toBe(c - reversed);
            await expectBalanced(onehop, ['alice']);
          },
        ),
        { numRuns: options.propertyRuns },
      );
    });
  });

  describe('admin decisions', () => {
    it('rejecting a commission takes it out of the balance with a reason', async () => {
      const { onehop, refer, buy } = await program(percent(1000));
      const line = recorded(await buy(await refer(), 1000)).commissions[0]!;
      const rejected = await onehop.rejectCommission({ commissionId: line.id, adminId: 'admin-1', reason: 'test order' });
      expect(rejected).toMatchObject({ status: 'rejected', statusReason: 'test order' });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0 });
      const entries = await onehop.listLedger('alice');
      expect(entries.at(-1)).toMatchObject({ kind: 'rejection', amount: -100, bucket: 'pending', actor: { type: 'admin', id: 'admin-1' }, reason: 'test order' });
      await expect(onehop.rejectCommission({ commissionId: line.id, adminId: 'admin-1', reason: 'again' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      await expect(onehop.rejectCommission({ commissionId: 'com_missing', adminId: 'admin-1', reason: 'x' })).rejects.toMatchObject({ code: 'COMMISSION_NOT_FOUND' });
      await expectBalanced(onehop, ['alice']);
    });

    it('a manual adjustment is a new ledger entry with the admin and the reason', async () => {
      const { onehop } = await program(percent(1000));
      expect(await onehop.adjustBalance({ userId: 'alice', amount: 1500, adminId: 'admin-1', reason: 'goodwill' })).toMatchObject({ withdrawable: 1500 });
      expect(await onehop.adjustBalance({ userId: 'alice', amount: -2000, adminId: 'admin-1', reason: 'correction' })).toMatchObject({
        withdrawable: 0,
        negativeCarry: 500,
      });
      expect((await onehop.listLedger('alice')).map((e) => [e.kind, e.amount, e.reason])).toEqual([
        ['adjustment', 1500, 'goodwill'],
        ['adjustment', -2000, 'correction'],
      ]);
      await expect(onehop.adjustBalance({ userId: 'alice', amount: 0, adminId: 'a', reason: 'x' })).rejects.toMatchObject({ field: 'amount' });
    });

    // rejectCommission and rejectReferral take a commission out of the money by one rule:
    // status `rejected`, a `rejection` entry from the bucket it sits in (withdrawable once
    // approved, also inside an open payout or after payment: a clawback carried forward).
    const rejections = [
      [
        'rejectCommission',
        (onehop: Onehop, c: { id: string; referralId: string | null }) => onehop.rejectCommission({ commissionId: c.id, adminId: 'admin-1', reason: 'fraud' }),
      ],
      [
        'rejectReferral',
        (onehop: Onehop, c: { id: string; referralId: string | null }) => onehop.rejectReferral({ referralId: c.referralId!, adminId: 'admin-1', reason: 'fraud' }),
      ],
    ] as const;

    /** Alice's approved line of 2000, in her open payout request. */
    async function inPayout() {
      const ctx = await program(percent(1000));
      const line = recorded(await ctx.buy(await ctx.refer(), 20_000)).commissions[0]!;
      ctx.clock.advanceDays(31);
      await ctx.onehop.approveDue();
      await ctx.onehop.setPayoutMethod({ userId: 'alice', method: { type: 'store_credit' } });
      return { ...ctx, line, payout: await ctx.onehop.requestPayout({ userId: 'alice' }) };
    }

    for (const [path, reject] of rejections) {
      it(`${path}: an approved commission inside an open payout is rejected, its amount clawed back from the withdrawable balance`, async () => {
        const { onehop, line, payout } = await inPayout();
        expect(await onehop.getCommission(line.id)).toMatchObject({ status: 'approved', payoutId: payout.id });
        await reject(onehop, line);
        expect(await onehop.getCommission(line.id)).toMatchObject({ status: 'rejected', statusReason: 'fraud', reversedAmount: 0 });
        expect((await onehop.listLedger('alice')).at(-1)).toMatchObject({
          kind: 'rejection',
          bucket: 'withdrawable',
          amount: -2000,
          commissionId: line.id,
          actor: { type: 'admin', id: 'admin-1' },
        });
        expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 2000, negativeCarry: 2000 });
        expect((await onehop.auditTrail('commission', line.id)).at(-1)).toMatchObject({ action: 'commission.rejected', before: 'approved', after: 'rejected' });
        // The payout still goes out; the carry is deducted from what is earned next.
        await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin-1' });
        await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin-1', externalReference: 'T-1' });
        expect(await onehop.getCommission(line.id)).toMatchObject({ status: 'rejected' });
        expect(await onehop.getBalances('alice')).toMatchObject({ paid: 2000, negativeCarry: 2000 });
        await expect(onehop.rejectCommission({ commissionId: line.id, adminId: 'admin-1', reason: 'again' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
        await expectBalanced(onehop, ['alice']);
      });

      it(`${path}: a paid commission is rejected and clawed back`, async () => {
        const { onehop, line, payout } = await inPayout();
        await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin-1' });
        await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin-1', externalReference: 'T-1' });
        await reject(onehop, line);
        expect(await onehop.getCommission(line.id)).toMatchObject({ status: 'rejected', statusReason: 'fraud' });
        expect((await onehop.listLedger('alice')).at(-1)).toMatchObject({ kind: 'rejection', bucket: 'withdrawable', amount: -2000 });
        expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, paid: 2000, negativeCarry: 2000 });
        await expectBalanced(onehop, ['alice']);
      });

      it(`${path}: a commission held for review is rejected and its review closed, as decideReview would`, async () => {
        const { onehop, refer, buy } = await program(percent(1000), { fraud: { highValueCommission: { threshold: 1000 } } });
        const line = recorded(await buy(await refer(), 20_000)).commissions[0]!;
        expect(line.status).toBe('on_hold');
        const [review] = await onehop.listReviews();
        expect(review).toMatchObject({ entityType: 'commission', entityId: line.id });
        await reject(onehop, line);
        expect(await onehop.getCommission(line.id)).toMatchObject({ status: 'rejected' });
        expect(await onehop.listReviews()).toEqual([]);
        expect((await onehop.listReviews({ status: 'rejected' })).map((r) => [r.id, r.decidedBy, r.decisionReason])).toEqual([[review!.id, 'admin-1', 'fraud']]);
        expect((await onehop.listLedger('alice')).at(-1)).toMatchObject({ kind: 'rejection', bucket: 'on_hold', amount: -2000 });
        expect(await onehop.getBalances('alice')).toMatchObject({ onHold: 0, pending: 0 });
        await expectBalanced(onehop, ['alice']);
      });
    }
  });

  describe('payouts', () => {
    async function earning(amount: number, extra: Partial<ProgramConfigInput> = {}) {
      const ctx = await program(percent(10_000), extra);
      await ctx.buy(await ctx.refer(), amount, { eventId: 'pi_1' });
      ctx.clock.advanceDays(31);
      await ctx.onehop.approveDue();
      await ctx.onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'alice@example.com' } });
      return ctx;
    }

    it('request → approve → paid moves the money and marks commissions paid', async () => {
      const { onehop } = await earning(5000);
      const payout = await onehop.requestPayout({ userId: 'alice' });
      expect(payout).toMatchObject({ amount: 5000, status: 'requested', method: { type: 'paypal' } });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 5000 });
      await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin-1' });
      const paid = await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin-1', externalReference: 'PAYPAL-123' });
      expect(paid).toMatchObject({ status: 'paid', externalReference: 'PAYPAL-123' });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 0, paid: 5000 });
      expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'paid', payoutId: payout.id });
      expect((await onehop.auditTrail('payout', payout.id)).map((a) => a.action)).toEqual(['payout.requested', 'payout.approved', 'payout.paid']);
      await expectBalanced(onehop, ['alice']);
    });

    it('checks the method, the minimum, the balance and one open request at a time', async () => {
      const { onehop } = await earning(5000, { payouts: { minimumAmount: 1000 } });
      await expect(onehop.requestPayout({ userId: 'alice', amount: 999 })).rejects.toMatchObject({ code: 'PAYOUT_BELOW_MINIMUM' });
      await expect(onehop.requestPayout({ userId: 'alice', amount: 5001 })).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
      const payout = await onehop.requestPayout({ userId: 'alice', amount: 2000 });
      await expect(onehop.requestPayout({ userId: 'alice', amount: 1000 })).rejects.toMatchObject({ code: 'PAYOUT_ALREADY_OPEN' });
      await expect(onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'a', externalReference: 'x' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 3000, requested: 2000 });
      await onehop.enroll({ userId: 'nomethod' });
      await expect(onehop.requestPayout({ userId: 'nomethod' })).rejects.toMatchObject({ code: 'PAYOUT_METHOD_MISSING' });
      await expectBalanced(onehop, ['alice']);
    });

    it('a request for the whole balance when nothing is withdrawable says so, and how much is carried', async () => {
      const { onehop } = await program(percent(1000));
      await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'store_credit' } });
      const nothing = await onehop.requestPayout({ userId: 'alice' }).catch((e: unknown) => e);
      expect(nothing).toMatchObject({ code: 'INSUFFICIENT_BALANCE', field: 'userId', withdrawable: 0, negativeCarry: 0 });
      expect((nothing as Error).message).toMatch(/Nothing is withdrawable/);
      expect((nothing as Error).message).not.toMatch(/payout of 0|carr/);
      await onehop.adjustBalance({ userId: 'alice', amount: -2000, adminId: 'admin-1', reason: 'clawback' });
      const carried = await onehop.requestPayout({ userId: 'alice' }).catch((e: unknown) => e);
      expect(carried).toMatchObject({ code: 'INSUFFICIENT_BALANCE', withdrawable: 0, negativeCarry: 2000 });
      expect((carried as Error).message).toMatch(/Nothing is withdrawable: 2000 minor units are carried/);
      expect((carried as Error).message).not.toMatch(/-2000|payout of 0/);
      const asked = await onehop.requestPayout({ userId: 'alice', amount: 500 }).catch((e: unknown) => e);
      expect(asked).toMatchObject({ code: 'INSUFFICIENT_BALANCE', field: 'amount' });
      expect((asked as Error).message).toMatch(/A payout of 500 exceeds the withdrawable balance of 0 minor units; 2000 minor units are carried/);
      expect(await onehop.listPayouts('alice')).toEqual([]);
    });

    it('a rejected payout returns the money to the withdrawable balance', async () => {
      const { onehop } = await earning(5000);
      const payout = await onehop.requestPayout({ userId: 'alice' });
      await onehop.rejectPayout({ payoutId: payout.id, adminId: 'admin-1', reason: 'name mismatch' });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 5000, requested: 0 });
      expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'approved', payoutId: null });
      expect((await onehop.requestPayout({ userId: 'alice' })).amount).toBe(5000);
    });

    it('concurrent requests for the full balance: exactly one succeeds and nothing is overdrawn', async () => {
      const { onehop } = await earning(5000);
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => onehop.requestPayout({ userId: 'alice', amount: 5000 })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 5000, negativeCarry: 0 });
      await expectBalanced(onehop, ['alice']);
    });

    it('a refund after payment is clawed back and carried into the next payout', async () => {
      const { onehop, refer, buy, clock } = await earning(5000);
      const payout = await onehop.requestPayout({ userId: 'alice' });
      await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin-1' });
      await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin-1', externalReference: 'T1' });
      await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pi_1', amount: 5000 });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, negativeCarry: 5000, paid: 5000 });
      await buy(await refer(), 8000);
      clock.advanceDays(31);
      await onehop.approveDue();
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 3000, negativeCarry: 0 });
      expect((await onehop.requestPayout({ userId: 'alice' })).amount).toBe(3000);
      await expectBalanced(onehop, ['alice']);
    });

    it('validates payout methods', async () => {
      const { onehop } = await program(percent(1000));
      await expect(onehop.setPayoutMethod({ userId: 'alice', method: { type: 'bank_transfer', accountHolder: 'A', iban: 'nope' } })).rejects.toMatchObject({
        field: 'method.iban',
      });
      const saved = await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'bank_transfer', accountHolder: 'Alice', iban: 'de89 3704 0044 0532 0130 00' } });
      expect(saved.method).toEqual({ type: 'bank_transfer', accountHolder: 'Alice', iban: 'DE89370400440532013000' });
      expect((await onehop.getPayoutMethod('alice'))?.method).toEqual(saved.method);
      await expect(onehop.setPayoutMethod({ userId: 'ghost', method: { type: 'store_credit' } })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
    });

    it.each([
      ['all zeros (the shape of an IBAN, no valid check digits)', 'DE00 0000 0000 0000 0000 00'],
      ['a wrong check digit', 'DE88 3704 0044 0532 0130 00'],
      ['two digits swapped', 'DE89 3704 0044 0532 0103 00'],
      ['one character short for its country', 'DE89 3704 0044 0532 0130 0'],
      ['one character long for its country', 'GB82 WEST 1234 5698 7654 321'],
      ['a country without IBANs', 'US64 SVBK US6S 3300 9673 8637'],
    ])('refuses an IBAN with %s, writing nothing', async (_, iban) => {
      const { onehop } = await program(percent(1000));
      await expect(onehop.setPayoutMethod({ userId: 'alice', method: { type: 'bank_transfer', accountHolder: 'Alice', iban } })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'method.iban',
      });
      expect(await onehop.getPayoutMethod('alice')).toBeNull();
    });

    it('accepts IBANs of several countries, and checks the BIC’s country', async () => {
      const { onehop } = await program(percent(1000));
      for (const iban of ['GB82 WEST 1234 5698 7654 32', 'FR14 2004 1010 0505 0001 3M02 606', 'NL91 ABNA 0417 1643 00', 'NO93 8601 1117 947']) {
        const saved = await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'bank_transfer', accountHolder: 'Alice', iban } });
        expect(saved.method).toMatchObject({ iban: iban.replace(/ /g, '') });
      }
      expect(
        (await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'bank_transfer', accountHolder: 'Alice', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' } }))
          .method,
      ).toMatchObject({
        bic: 'COBADEFFXXX',
      });
      await expect(
        onehop.setPayoutMethod({ userId: 'alice', method: { type: 'bank_transfer', accountHolder: 'Alice', iban: 'DE89370400440532013000', bic: 'COBAQQFFXXX' } }),
      ).rejects.toMatchObject({ field: 'method.bic' });
    });
  });

  describe('mock mode', () => {
    it.skipIf(!options.supportsLiveMode)(`mock rows never appear in live balances, ledgers or payouts${options.supportsLiveMode ? '' : LIVE_MODE_SKIPPED}`, async () => {
      const { onehop: mock, refer, buy, store } = await program(percent(1000));
      await buy(await refer(), 1000);
      const live = createOnehop({ store, program: { id: mock.program.id, currency: 'USD', mode: 'live', commission: { rule: { type: 'fixed', amount: 1 } } } });
      expect(await live.getBalances('alice')).toMatchObject({ pending: 0 });
      expect(await live.listLedger('alice')).toEqual([]);
      expect(await live.listCommissions('alice')).toEqual([]);
      expect(await mock.getBalances('alice')).toMatchObject({ pending: 100 });
    });
  });

  describe('a full cycle keeps the ledger balanced after every step', () => {
    it('sign-ups, purchases, refund, approval, payout', async () => {
      const { onehop, refer, buy, clock } = await program({ ...percent(2000), welcomeReward: { amount: 200 } });
      const accounts = ['alice'];
      const step = async (fn: () => Promise<unknown>) => {
        await fn();
        await expectBalanced(onehop, accounts);
      };
      const bob = await refer('bob');
      accounts.push(bob);
      await step(() => buy(bob, 5000, { eventId: 'p1' }));
      await step(() => buy(bob, 2500, { eventId: 'p2' }));
      await step(() => onehop.recordRefund({ eventId: 'r1', purchaseEventId: 'p2', amount: 1000 }));
      clock.advanceDays(31);
      await step(() => onehop.approveDue());
      await step(() => onehop.setPayoutMethod({ userId: 'alice', method: { type: 'wise', email: 'alice@example.com' } }));
      let payoutId = '';
      await step(async () => {
        payoutId = (await onehop.requestPayout({ userId: 'alice' })).id;
      });
      await step(() => onehop.approvePayout({ payoutId, adminId: 'admin' }));
      await step(() => onehop.markPayoutPaid({ payoutId, adminId: 'admin', externalReference: 'W-1' }));
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0, withdrawable: 0, paid: 1000 + 300 });
    });
  });
}
