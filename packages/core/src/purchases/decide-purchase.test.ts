import { describe, expect, it } from 'vitest';
import { accrualCounters, accrualLine } from '../accrual/decide';
import { parseProgramConfig } from '../config/program';
import { WriteSetBuilder } from '../engine/write-set-builder';
import type { TargetedFinding } from '../fraud/rules';
import type { ParticipantRecord, ReferralRecord } from '../store/records';
import { decidePurchase, type PurchaseFacts, purchaseEvent } from './decide-purchase';

// The decision is a pure function of the facts read, the purchase, the program and the rules' findings:
// these tests call it with no store at all and look at the write set it returns.

const NOW = new Date('2026-03-15T12:00:00.000Z');
const scope = { programId: 'p1', mode: 'mock' as const };
const alice: ParticipantRecord = {
  ...scope,
  userId: 'alice',
  email: null,
  emailNormalized: null,
  code: 'ALICE',
  status: 'active',
  termsVersion: null,
  enrolledAt: new Date('2026-01-01T00:00:00.000Z'),
  updatedAt: new Date('2026-01-01T00:00:00.000Z'),
  groupId: null,
  customTerms: null,
};
const bobReferral: ReferralRecord = {
  ...scope,
  id: 'rfl_bob',
  referrerId: 'alice',
  refereeId: 'bob',
  code: 'ALICE',
  status: 'pending',
  statusReason: null,
  source: null,
  country: null,
  refereeEmailNormalized: null,
  clickedAt: null,
  attributedAt: new Date('2026-03-01T12:00:00.000Z'),
  qualifiedAt: null,
  purchaseCount: 0,
  revenue: 0,
  updatedAt: new Date('2026-03-01T12:00:00.000Z'),
};
const purchase = (amount: number, eventId = 'pi_1'): PurchaseFacts => ({
  eventId,
  amount,
  productId: null,
  occurredAt: NOW,
  payloadHash: 'hash',
  hashes: { ip: null, device: null, payment: null },
});

/** Decides `p` for bob's referral under `commission`, with the counters the read would have returned (by name:period). */
function decide(
  commission: object,
  p: PurchaseFacts,
  facts: { counters?: Record<string, number>; referral?: Partial<ReferralRecord>; referrer?: Partial<ParticipantRecord>; inReview?: boolean; bonuses?: string[] } = {},
  findings: TargetedFinding[] = [],
  extra: object = {},
) {
  const program = parseProgramConfig({ id: 'p1', currency: 'USD', mode: 'mock', commission, ...extra });
  const counters = accrualCounters(program, p.occurredAt);
  const subject = {
    referral: { ...bobReferral, ...facts.referral },
    referrer: { ...alice, ...facts.referrer },
    counters: counters.query.map((c) => facts.counters?.[`${c.name}:${c.period}`] ?? 0),
    referralInReview: facts.inReview ?? false,
    bonusEventIds: facts.bonuses ?? [],
  };
  const line = accrualLine(program, counters, subject, purchaseEvent(p));
  const writes = new WriteSetBuilder(scope, true, { now: () => NOW, currentDay: () => ({ key: 'd:2026-03-15', month: 'm:2026-03' }) });
  const outcome = decidePurchase(writes, program, counters, subject, p, line, findings);
  return { outcome, writes: writes.build({ scope, participantId: 'alice', version: 7, exclusive: true, referral: { id: 'rfl_bob', version: 3 } }) };
}
const counter = (writes: { counters: { ownerId: string; name: string; period: string; value: number }[] }, ownerId: string, name: string, period: string) =>
  writes.counters.find((c) => c.ownerId === ownerId && c.name === name && c.period === period)?.value;
const percent = { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } as const;

describe('decidePurchase', () => {
  it('a first purchase: one line, its ledger entry and balance delta, the qualified referral, the event naming the line, counters, audit lines and events, guarded by the version read', () => {
    const { outcome, writes } = decide(percent, purchase(4_900));
    expect(outcome).toMatchObject({ qualified: true, rejected: null, skipped: [] });
    expect(writes.guard).toEqual({ scope, participantId: 'alice', version: 7, exclusive: true, referral: { id: 'rfl_bob', version: 3 } });
    expect(writes.commissions).toHaveLength(1);
    const [line] = writes.commissions;
    expect(line).toMatchObject({ kind: 'referral', beneficiaryId: 'alice', amount: 490, status: 'pending', sourceEventId: 'pi_1' });
    expect(outcome.commissions).toEqual(writes.commissions);
    expect(writes.ledger).toMatchObject([{ accountId: 'alice', bucket: 'pending', amount: 490, kind: 'accrual', commissionId: line!.id }]);
    expect(writes.balances).toEqual([{ accountId: 'alice', deltas: { pending: 490 }, at: NOW }]);
    expect(writes.referrals).toEqual([{ id: 'rfl_bob', patch: { updatedAt: NOW, purchaseCount: 1, revenue: 4_900, status: 'qualified', qualifiedAt: NOW } }]);
    expect(writes.events).toMatchObject([
      {
        kind: 'purchase',
        eventId: 'pi_1',
        amount: 4_900,
        payloadHash: 'hash',
        result: { referralId: 'rfl_bob', qualified: true, commissionIds: [line!.id], skipped: [] },
      },
    ]);
    expect(counter(writes, 'alice', 'qualified', 'all')).toBe(1);
    expect(counter(writes, 'alice', 'stat.revenue', 'd:2026-03-15')).toBe(4_900);
    expect(counter(writes, 'alice', 'stat.earned', 'all')).toBe(490);
    expect(writes.audit.map((a) => a.action)).toEqual(['commission.accrued', 'referral.qualified']);
    expect(writes.outbox.map((e) => e.type)).toEqual(['commission.accrued', 'referral.qualified']);
    expect(writes.reviews).toEqual([]);
    expect(writes.fingerprints).toEqual([]);
  });

  it('a later purchase pays again without qualifying anew; counters are keyed and sorted, one entry per key', () => {
    const { outcome, writes } = decide(percent, purchase(1_000, 'pi_2'), { referral: { status: 'qualified', purchaseCount: 1, revenue: 4_900 } });
    expect(outcome.qualified).toBe(false);
    expect(writes.commissions.map((c) => c.amount)).toEqual([100]);
    expect(writes.referrals[0]!.patch).toEqual({ updatedAt: NOW, purchaseCount: 2, revenue: 5_900 });
    expect(counter(writes, 'alice', 'qualified', 'all')).toBeUndefined();
    const keys = writes.counters.map((c) => `${c.ownerId}|${c.name}|${c.period}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
  });

  it('tiers: pays the rate of the tier the referrer was in before the purchase, counts it, and says when the tier changes', () => {
    const tiered = {
      rule: {
        type: 'tiered',
        basis: 'qualified_referrals',
        period: 'all_time',
        tiers: [
          { from: 0, rateBps: 1000 },
          { from: 5, rateBps: 2000 },
        ],
        scope: { type: 'lifetime' },
      },
    } as const;
    const crossing = decide(tiered, purchase(10_000), { counters: { 'qualified:all': 4 } });
    expect(crossing.writes.commissions.map((c) => c.amount)).toEqual([1_000]);
    // The all-time qualified counter is both the tier's and the milestones' count: added once.
    expect(counter(crossing.writes, 'alice', 'qualified', 'all')).toBe(1);
    expect(crossing.writes.audit.find((a) => a.action === 'tier.changed')).toMatchObject({ before: '0', after: '1', data: { count: 5 } });
    const above = decide(tiered, purchase(10_000), { counters: { 'qualified:all': 5 } });
    expect(above.writes.commissions.map((c) => c.amount)).toEqual([2_000]);
    expect(above.writes.audit.map((a) => a.action)).not.toContain('tier.changed');
  });

  it('caps: pays what is left of the period’s cap and counts it; with nothing left, no line and the reason', () => {
    const capped = { ...percent, caps: { perReferrer: { amount: 1_000, period: 'month' } } } as const;
    const partly = decide(capped, purchase(10_000), { counters: { 'commission:2026-03': 700 } });
    expect(partly.writes.commissions.map((c) => c.amount)).toEqual([300]);
    expect(counter(partly.writes, 'alice', 'commission', '2026-03')).toBe(300);
    const none = decide(capped, purchase(10_000), { counters: { 'commission:2026-03': 1_000 } });
    expect(none.outcome.skipped).toEqual([{ kind: 'referral', reason: 'CAP_REACHED' }]);
    expect(none.writes.commissions).toEqual([]);
    expect(none.writes.ledger).toEqual([]);
    expect(none.writes.balances).toEqual([]);
    // The purchase itself is still recorded, with the reason.
    expect(none.writes.events[0]!.result.skipped).toEqual([{ kind: 'referral', reason: 'CAP_REACHED' }]);
  });

  it('milestones: a bonus when the qualification reaches the count, unless the referrer’s bonus event for it was read; the welcome reward goes to the referee', () => {
    const rewards = { ...percent, milestones: [{ qualifiedReferrals: 3, amount: 5_000 }], welcomeReward: { amount: 700 } } as const;
    const reached = decide(rewards, purchase(4_900), { counters: { 'qualified:all': 2 } });
    expect(reached.writes.commissions.map((c) => [c.kind, c.beneficiaryId, c.amount])).toEqual([
      ['referral', 'alice', 490],
      ['milestone_bonus', 'alice', 5_000],
      ['welcome_reward', 'bob', 700],
    ]);
    expect(reached.writes.events.map((e) => [e.kind, e.eventId])).toEqual([
      ['bonus', 'milestone:alice:3'],
      ['purchase', 'pi_1'],
    ]);
    // Two lines to alice and one to bob: one balance delta per account.
    expect(reached.writes.balances).toEqual([
      { accountId: 'alice', deltas: { pending: 5_490 }, at: NOW },
      { accountId: 'bob', deltas: { pending: 700 }, at: NOW },
    ]);
    const paid = decide(rewards, purchase(4_900), { counters: { 'qualified:all': 2 }, bonuses: ['milestone:alice:3'] });
    expect(paid.writes.commissions.map((c) => c.kind)).toEqual(['referral', 'welcome_reward']);
  });

  it('holds what a referral under review earns, and opens a review for a line a rule holds', () => {
    const held = decide(percent, purchase(4_900), { inReview: true });
    expect(held.writes.commissions.map((c) => c.status)).toEqual(['on_hold']);
    expect(held.writes.balances).toEqual([{ accountId: 'alice', deltas: { on_hold: 490 }, at: NOW }]);
    expect(held.writes.reviews).toEqual([]);
    const finding: TargetedFinding = { rule: 'high_value', action: 'review', reason: 'HIGH_VALUE', details: {}, target: 'referral' };
    const reviewed = decide(percent, purchase(4_900), {}, [finding]);
    expect(reviewed.writes.commissions.map((c) => c.status)).toEqual(['on_hold']);
    expect(reviewed.writes.reviews).toMatchObject([{ entityType: 'commission', entityId: reviewed.writes.commissions[0]!.id, status: 'open' }]);
  });

  it('a suspended referrer or a rule refusing the line: no line, the reason, the purchase still recorded', () => {
    const suspended = decide(percent, purchase(4_900), { referrer: { status: 'suspended' } });
    expect(suspended.outcome.skipped).toEqual([{ kind: 'referral', reason: 'REFERRER_SUSPENDED' }]);
    expect(suspended.writes.commissions).toEqual([]);
    expect(suspended.writes.events.map((e) => e.eventId)).toEqual(['pi_1']);
    const refusal: TargetedFinding = { rule: 'minimum_purchase', action: 'reject', reason: 'BELOW_MINIMUM_PURCHASE', details: {}, target: 'commission' };
    const refused = decide(percent, purchase(4_900), {}, [refusal]);
    expect(refused.outcome.skipped).toEqual([{ kind: 'referral', reason: 'BELOW_MINIMUM_PURCHASE' }]);
    expect(refused.writes.outbox.map((e) => e.type)).toContain('fraud.flagged');
  });

  it('a rule rejecting the referral: the decision writes nothing and says which findings (the engine rejects under the referrer’s lock)', () => {
    const rejection: TargetedFinding = { rule: 'existing_customer', action: 'reject', reason: 'EXISTING_CUSTOMER', details: {}, target: 'referral' };
    const { outcome, writes } = decide(percent, purchase(4_900), {}, [rejection]);
    expect(outcome.rejected).toEqual([rejection]);
    expect(outcome.qualified).toBe(false);
    for (const rows of [writes.commissions, writes.ledger, writes.balances, writes.counters, writes.referrals, writes.events, writes.audit, writes.outbox]) {
      expect(rows).toEqual([]);
    }
  });

  it('a purchase in another currency: the line from the exact converted value, the event in its own currency with its details, revenue in the program’s', () => {
    // 20.01 EUR at 1.0005 is 20.020005 USD: 2002 cents; 10 % of it is 200.20005 cents, rounded once: 200.
    const conversion = { amount: 2001, currency: 'EUR', rate: 10005, rateScale: 4, rateAt: '2026-03-15T00:00:00.000Z' };
    const details = { currency: 'EUR', programAmount: 2002, conversion, productId: null, subscriptionId: null, metadata: { plan: 'pro' } };
    const { outcome, writes } = decide(percent, { ...purchase(2002), details });
    expect(outcome.commissions).toMatchObject([{ amount: 200, calculation: { baseAmount: 2002, uncapped: 200, conversion } }]);
    expect(writes.events).toMatchObject([{ kind: 'purchase', amount: 2001, reversedAmount: 0, result: { details } }]);
    expect(writes.referrals).toMatchObject([{ patch: { revenue: 2002 } }]);
  });

  it('a purchase in another currency: a reward’s rate is rounded once from the exact converted value, like the base line', () => {
    // 100.05 EUR at 1.0845 is 108.504225 USD (10850 cents). 25 % of the exact value is 2712.605625 cents: 2713;
    // 25 % of the rounded 10850 would be 2712.5, rounded again to 2712.
    const conversion = { amount: 10_005, currency: 'EUR', rate: 10845, rateScale: 4, rateAt: '2026-03-15T00:00:00.000Z' };
    const details = { currency: 'EUR', programAmount: 10_850, conversion, productId: null, subscriptionId: null, metadata: null };
    const { writes } = decide({ ...percent, rule: { type: 'percentage', rateBps: 2_500, scope: { type: 'lifetime' } } }, { ...purchase(10_850), details }, {}, [], {
      rewards: [{ event: 'sale', id: 'extra', rateBps: 2_500 }],
    });
    expect(writes.commissions.map((c) => [c.calculation.source, c.amount, c.calculation.conversion])).toEqual([
      ['base', 2_713, conversion],
      ['reward', 2_713, conversion],
    ]);
  });

  it('a group member: their own rate over the group’s rule, then the group’s rewards from what is left of the cap; the cap counter counts every line', () => {
    const reps = {
      commission: { rule: { type: 'percentage', rateBps: 500, scope: { type: 'lifetime' } }, caps: { perReferrer: { amount: 1_000, period: 'month' } } },
      rewards: [{ event: 'sale', id: 'extra', rateBps: 500 }],
    };
    const { outcome, writes } = decide(percent, purchase(10_000), { referrer: { groupId: 'reps', customTerms: { rateBps: 700, holdingDays: 3 } } }, [], {
      groups: { reps },
    });
    expect(writes.commissions.map((c) => [c.amount, c.calculation.source, c.calculation.group, c.calculation.cappedBy ?? null])).toEqual([
      [700, 'participant_terms', 'reps', null],
      [300, 'reward', 'reps', 'per_referrer_period'],
    ]);
    expect(writes.commissions.every((c) => c.availableAt.getTime() === NOW.getTime() + 3 * 86_400_000)).toBe(true);
    expect(counter(writes, 'alice', 'commission', '2026-03')).toBe(1_000);
    expect(outcome.skipped).toEqual([]);
    // The default group's member pays by the top-level rule, and no group counter of another group goes unread: it is counted too.
    const other = decide(percent, purchase(10_000), {}, [], { groups: { reps } });
    expect(other.writes.commissions.map((c) => [c.amount, c.calculation.group ?? null])).toEqual([[1_000, null]]);
    expect(counter(other.writes, 'alice', 'commission', '2026-03')).toBe(1_000);
  });
});
