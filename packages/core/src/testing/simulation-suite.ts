import { fixedExchangeRates, type ProgramConfigInput } from '@onehop/core';
import { expect, it } from 'vitest';
import type { StoredStrings } from './erasure-suite';
import type { SetupWith } from './outbox-suite';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A program that reads every kind of state a decision reads: monthly revenue tiers, caps, a milestone, a welcome reward, a promotion, a product override. */
const LIVE: Partial<ProgramConfigInput> = {
  commission: {
    holdingDays: 0,
    rule: {
      type: 'tiered',
      basis: 'referred_revenue',
      period: 'month',
      scope: { type: 'lifetime' },
      tiers: [
        { from: 0, rateBps: 1000 },
        { from: 5000, rateBps: 1500 },
      ],
    },
    caps: { perCommission: 700, perReferrer: { amount: 2000, period: 'month' } },
    milestones: [{ qualifiedReferrals: 2, amount: 500 }],
    welcomeReward: { amount: 100 },
    promotions: [{ id: 'spring', start: '2026-03-03T00:00:00.000Z', end: '2026-03-06T00:00:00.000Z', rateBps: 2500, productIds: ['pro'] }],
    productOverrides: [{ productIds: ['gift'], amount: 50 }],
  },
};

/**
 * The plan dry-run (`simulatePlan`): under the live configuration it equals
 * what was paid, over a varied sequence (tiers, caps, milestones, welcome
 * rewards, promotions, foreign currencies, partial refunds, a refund before
 * its purchase, a chargeback won back); under another rate it pays as that
 * rate would; it writes nothing.
 */
export function simulationSuite(setup: SetupWith, storedStrings: StoredStrings): void {
  async function program(config: Partial<ProgramConfigInput>) {
    const ctx = await setup(config, { exchangeRates: fixedExchangeRates({ 'EUR/USD': '1.0845', 'JPY/USD': '0.0066' }) });
    const { onehop, clock } = ctx;
    for (const [referrer, code] of [
      ['alice', 'ALICE123'],
      ['erin', 'ERIN1234'],
    ] as const) {
      await onehop.enroll({ userId: referrer, code });
    }
    const refer = async (refereeId: string, code: string) => {
      const attributed = await onehop.attribute({ refereeId, code });
      if (!attributed.ok) throw new Error(attributed.reason);
    };
    /** Each call one hour after the last, occurring when it is recorded. */
    const step = () => {
      clock.advance(HOUR);
      return clock.now();
    };
    const buy = async (eventId: string, refereeId: string, amount: number, more: { currency?: string; productId?: string } = {}) => {
      const occurredAt = step();
      const result = await onehop.recordPurchase({
        eventId,
        refereeId,
        amount,
        currency: more.currency ?? 'USD',
        occurredAt,
        ...(more.productId ? { productId: more.productId } : {}),
      });
      expect(result.status).toBe('recorded');
    };
    return { ...ctx, refer, step, buy };
  }

  it('under the live configuration it equals what was paid, per participant and in total', async () => {
    const { onehop, clock, refer, step, buy } = await program(LIVE);
    await refer('bob', 'ALICE123');
    await refer('carol', 'ALICE123');
    await refer('dave', 'ALICE123');
    await refer('frank', 'ERIN1234');
    await refer('gina', 'ERIN1234');
    await buy('p1', 'bob', 3000);
    await buy('p2', 'carol', 2500, { currency: 'EUR' });
    await buy('p3', 'frank', 9999, { productId: 'gift' });
    clock.advance(2 * DAY); // into the promotion
    const from = step();
    await buy('p4', 'bob', 4000, { productId: 'pro' });
    await buy('p5', 'dave', 123456, { currency: 'JPY' });
    await onehop.recordRefund({ eventId: 'r1', purchaseEventId: 'p2', amount: 1001, occurredAt: step() });
    // A refund that arrives before its payment, kept and applied when the payment is recorded.
    await onehop.recordRefund({ eventId: 'r2', purchaseEventId: 'p6', amount: 700, occurredAt: step(), waitForPurchase: true });
    await buy('p6', 'gina', 2100, { currency: 'EUR' });
    await buy('p7', 'carol', 8000);
    await onehop.recordChargeback({ eventId: 'c1', purchaseEventId: 'p7', amount: 8000, occurredAt: step() });
    await onehop.reinstateChargeback({ chargebackEventId: 'c1', occurredAt: step() });
    clock.advance(30 * DAY); // next month: tiers and caps start again
    await buy('p8', 'bob', 6000);
    await buy('p9', 'dave', 2000, { productId: 'pro' });
    await onehop.recordRefund({ eventId: 'r3', purchaseEventId: 'p1', amount: 3000, occurredAt: step() });
    await onehop.recordRefund({ eventId: 'r4', purchaseEventId: 'p8', amount: 1, occurredAt: step() });
    const to = new Date(step().getTime() + 1);

    const plan = await onehop.simulatePlan({ config: { ...LIVE, id: onehop.program.id, currency: 'USD' }, from, to });
    expect(plan.events).toBe(12);
    expect(plan.currency).toBe('USD');
    expect(plan.total.actual).not.toBe(0);
    expect(plan.participants.map((p) => p.participantId)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'gina']);
    for (const p of plan.participants) expect(p).toMatchObject({ simulated: p.actual, difference: 0 });
    expect(plan.total).toEqual({ actual: plan.total.actual, simulated: plan.total.actual, difference: 0 });
    // Over the whole history, what the plan says was paid is what the balances hold.
    const all = await onehop.simulatePlan({ config: { ...LIVE, id: 'x', currency: 'USD' }, from: new Date(0), to });
    for (const user of ['alice', 'erin', 'bob', 'carol', 'dave', 'frank', 'gina']) {
      const balances = await onehop.getBalances(user);
      const held = all.participants.find((p) => p.participantId === user);
      expect({ user, total: held?.actual ?? 0 }).toEqual({ user, total: balances.pending });
      expect(held?.simulated ?? 0).toBe(held?.actual ?? 0);
    }
  });

  it('under another rate it pays what that rate would, and counts only the period’s events', async () => {
    const tenPercent = { commission: { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } } as const;
    const { onehop, refer, step, buy } = await program(tenPercent);
    await refer('bob', 'ALICE123');
    await refer('frank', 'ERIN1234');
    await buy('p1', 'bob', 1000);
    const from = step();
    await buy('p2', 'bob', 2000);
    await buy('p3', 'frank', 3000);
    await onehop.recordRefund({ eventId: 'r1', purchaseEventId: 'p3', amount: 1500, occurredAt: step() });
    await onehop.recordRefund({ eventId: 'r2', purchaseEventId: 'p1', amount: 500, occurredAt: step() });
    const to = step();
    const plan = await onehop.simulatePlan({
      config: { currency: 'USD', id: 'ignored', commission: { ...tenPercent.commission, rule: { ...tenPercent.commission.rule, rateBps: 2000 } } },
      from,
      to,
    });
    // In the period: alice earns 200 on p2 and loses 50 of p1's 100; erin earns 300 on p3 and loses 150.
    expect(plan.participants).toEqual([
      { participantId: 'alice', actual: 150, simulated: 300, difference: 150 },
      { participantId: 'erin', actual: 150, simulated: 300, difference: 150 },
    ]);
    expect(plan.total).toEqual({ actual: 300, simulated: 600, difference: 300 });
    expect(plan.events).toBe(4);
  });

  it('under the live configuration a group’s line is reversed by its own rounding, as the engine reversed it', async () => {
    const live = {
      commission: { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } },
      groups: { vip: { commission: { holdingDays: 0, rounding: 'half_up', rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } } },
    } as const;
    const { onehop, refer, step, buy } = await program(live);
    await onehop.moveToGroup({ userId: 'alice', groupId: 'vip', adminId: 'admin', reason: 'partner agreement' });
    const from = step();
    await refer('bob', 'ALICE123');
    // 10 % of 50 is 5; refunding 25 reverses 2.5 of it: 3 by the group's half-up, 2 by the top-level half-even.
    await buy('p1', 'bob', 50);
    await onehop.recordRefund({ eventId: 'r1', purchaseEventId: 'p1', amount: 25, occurredAt: step() });
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ amount: 5, reversedAmount: 3 });
    const plan = await onehop.simulatePlan({ config: { currency: 'USD', id: 'ignored', ...live }, from, to: step() });
    expect(plan.total).toEqual({ actual: 2, simulated: 2, difference: 0 });
  });

  it('under the live configuration it counts what a payment delivered late found: events that occurred after the period but were recorded before', async () => {
    const live = {
      commission: { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, caps: { perReferrer: { amount: 1000, period: 'month' } } },
    } as const;
    const { onehop, refer, step } = await program(live);
    await refer('bob', 'ALICE123');
    const from = step();
    const early = step();
    const to = step();
    const after = step();
    // Recorded first: a payment that occurred after the period, earning 800 of the 1,000 cap.
    await onehop.recordPurchase({ eventId: 'p2', refereeId: 'bob', amount: 8000, currency: 'USD', occurredAt: after });
    step();
    // Delivered late: a payment of the period, which found only 200 of the cap left.
    await onehop.recordPurchase({ eventId: 'p1', refereeId: 'bob', amount: 5000, currency: 'USD', occurredAt: early });
    const plan = await onehop.simulatePlan({ config: { currency: 'USD', id: 'ignored', ...live }, from, to });
    expect(plan.total).toEqual({ actual: 200, simulated: 200, difference: 0 });
  });

  it('writes nothing', async () => {
    const { onehop, store, refer, step, buy } = await program(LIVE);
    await refer('bob', 'ALICE123');
    await buy('p1', 'bob', 3000, { currency: 'EUR' });
    await onehop.recordRefund({ eventId: 'r1', purchaseEventId: 'p1', amount: 1000, occurredAt: step() });
    const before = (await storedStrings(store)).sort();
    const plan = await onehop.simulatePlan({
      config: { currency: 'USD', id: 'x', commission: { rule: { type: 'fixed', amount: 1234 } } },
      from: new Date(0),
      to: step(),
    });
    expect(plan.total.simulated).not.toBe(plan.total.actual);
    const after = (await storedStrings(store)).sort();
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
  });

  it('under the live configuration it pays rewards as they were paid: a bounty once per period, plan and metadata conditions', async () => {
    const REWARDS: Partial<ProgramConfigInput> = {
      commission: { rule: { type: 'percentage', rateBps: 1000 } },
      rewards: [
        { event: 'bounty', id: 'five-k', amount: 500, goal: { basis: 'referred_revenue', target: 5_000, period: 'month' } },
        { event: 'sale', id: 'yearly', amount: 70, conditions: [{ type: 'plan', planIds: ['yearly'] }] },
        { event: 'sale', id: 'partner', amount: 30, conditions: [{ type: 'metadata', key: 'channel', values: ['partner'] }] },
      ],
    };
    const { onehop, refer, step } = await program(REWARDS);
    await refer('bob', 'ALICE123');
    const from = step();
    const purchases = [
      { amount: 3_000, planId: 'yearly' },
      { amount: 2_500, metadata: { channel: 'partner' } }, // reaches the bounty's goal
      { amount: 4_000, planId: 'monthly', metadata: { channel: 'ads' } }, // past the goal: no second bounty this month
      { amount: 1_000, planId: 'yearly', metadata: { channel: 'partner' } },
    ];
    for (const [i, { amount, ...more }] of purchases.entries()) {
      const result = await onehop.recordPurchase({ eventId: `rw${i}`, refereeId: 'bob', amount, currency: 'USD', occurredAt: step(), ...more });
      expect(result.status).toBe('recorded');
    }
    const to = new Date(step().getTime() + 1);
    const plan = await onehop.simulatePlan({ config: { ...REWARDS, id: onehop.program.id, currency: 'USD' }, from, to });
    // 10 % of the first purchase (the rule's default scope), the bounty once, the yearly plan twice, the partner channel twice.
    const paid = 300 + 500 + 2 * 70 + 2 * 30;
    expect(plan.total).toEqual({ actual: paid, simulated: paid, difference: 0 });
  });

  it('the store lists the events of the kinds asked for (what the dry-run reads: all but bonuses)', async () => {
    const { onehop, store, scope, refer, step, buy } = await program(LIVE);
    await refer('bob', 'ALICE123');
    await refer('carol', 'ALICE123');
    await buy('p1', 'bob', 3000);
    await buy('p2', 'carol', 3000); // the second qualified referral: a milestone bonus event
    const cut = step();
    await onehop.recordRefund({ eventId: 'r1', purchaseEventId: 'p1', amount: 100, occurredAt: new Date(cut.getTime() - 1) });
    await onehop.recordRefund({ eventId: 'r2', purchaseEventId: 'p1', amount: 100, occurredAt: cut });
    const listed = await store.transaction((tx) => tx.events.listByKinds(scope, ['purchase', 'refund', 'chargeback']));
    expect(listed.map((e) => `${e.kind}:${e.eventId}`).sort()).toEqual(['purchase:p1', 'purchase:p2', 'refund:r1', 'refund:r2']);
    const refunds = await store.transaction((tx) => tx.events.listByKinds(scope, ['refund']));
    expect(refunds.map((e) => e.eventId).sort()).toEqual(['r1', 'r2']);
    const bonus = await store.transaction((tx) => tx.events.listRelated(scope, 'p2'));
    expect(bonus.map((e) => e.kind)).toEqual(['bonus']);
  });

  it('refuses a bad candidate configuration or period, naming the field', async () => {
    const { onehop } = await program(LIVE);
    const at = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
    await expect(
      onehop.simulatePlan({ config: { currency: 'USD', id: 'x', commission: { rule: { type: 'fixed', amount: -1 } } } as never, ...at }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'config.commission.rule.amount',
    });
    await expect(onehop.simulatePlan({ config: { currency: 'EUR', id: 'x' }, ...at })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'config.currency' });
    await expect(onehop.simulatePlan({ config: { currency: 'USD', id: 'x' }, from: at.to, to: at.from })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'to',
    });
  });
}
