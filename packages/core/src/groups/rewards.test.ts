import { describe, expect, it } from 'vitest';
import type { RewardCondition } from '../config/group';
import { parseProgramConfig } from '../config/program';
import { groupOf } from './group-of';
import { conditionsMet, type RewardFacts, rewardLines } from './rewards';

const AT = new Date('2026-03-15T12:00:00.000Z');
const facts = (purchase: Partial<NonNullable<RewardFacts['purchase']>> | null, refereeCountry: string | null = null): RewardFacts => ({
  purchase: purchase === null ? null : { amount: 1_000, productId: null, planId: null, metadata: null, number: 1, ...purchase },
  refereeCountry,
});

describe('conditionsMet', () => {
  const product: RewardCondition = { type: 'product', productIds: ['pro'] };
  const country: RewardCondition = { type: 'country', countries: ['DE'] };

  it('no conditions: the reward applies and names none', () => {
    expect(conditionsMet({ conditions: [], match: 'all' }, facts(null))).toEqual([]);
  });

  it('all: every condition must hold, and the line names them all', () => {
    expect(conditionsMet({ conditions: [product, country], match: 'all' }, facts({ productId: 'pro' }, 'DE'))).toEqual([0, 1]);
    expect(conditionsMet({ conditions: [product, country], match: 'all' }, facts({ productId: 'pro' }, 'FR'))).toBeNull();
  });

  it('any: the first condition that holds, in the order written', () => {
    expect(conditionsMet({ conditions: [product, country], match: 'any' }, facts({ productId: 'pro' }, 'DE'))).toEqual([0]);
    expect(conditionsMet({ conditions: [product, country], match: 'any' }, facts({ productId: 'basic' }, 'DE'))).toEqual([1]);
    expect(conditionsMet({ conditions: [product, country], match: 'any' }, facts({ productId: 'basic' }, 'FR'))).toBeNull();
  });

  it('conditions on the purchase never hold for a sign-up', () => {
    const onPurchase: RewardCondition[] = [product, { type: 'amount', min: 0 }, { type: 'first_purchase', is: true }, { type: 'metadata', key: 'k', values: ['v'] }];
    for (const c of onPurchase) expect(conditionsMet({ conditions: [c], match: 'all' }, facts(null, 'DE'))).toBeNull();
  });
});

describe('rewardLines', () => {
  const program = parseProgramConfig({
    id: 'p',
    currency: 'USD',
    commission: { rule: { type: 'percentage', rateBps: 1_000 }, caps: { perCommission: 300 }, rounding: 'half_up' },
    rewards: [
      { event: 'lead', id: 'lead', amount: 50 },
      { event: 'sale', id: 'rate', rateBps: 250 },
      { event: 'sale', id: 'big', amount: 900 },
      { event: 'sale', id: 'second', amount: 10, scope: { type: 'max_purchases', count: 1 } },
    ],
  });
  const group = groupOf(program, null);
  const purchase = (number: number) => ({
    trigger: 'purchase' as const,
    at: AT,
    purchase: { amount: 1_002, productId: null, number },
    referralAttributedAt: AT,
    timeZone: 'UTC',
  });

  it('pays each sale reward in scope in order, rounded by the group, capped per line, then by what is left of the period cap', () => {
    const lines = rewardLines(group, purchase(1), facts({ amount: 1_002 }), 320);
    expect(lines.map((l) => [l.reward.id, l.amount, l.calculation.uncapped, l.calculation.cappedBy ?? null])).toEqual([
      ['rate', 25, 25, null],
      ['big', 295, 900, 'per_referrer_period'],
      ['second', 0, 10, 'per_referrer_period'],
    ]);
    expect(lines[0]!.calculation).toMatchObject({
      rule: 'reward',
      source: 'reward',
      rewardId: 'rate',
      event: 'sale',
      conditions: [],
      rateBps: 250,
      baseAmount: 1_002,
      rounding: 'half_up',
    });
  });

  it('a lead reward pays on a sign-up only; a sale reward outside its scope pays nothing', () => {
    expect(rewardLines(group, { ...purchase(1), trigger: 'signup' }, facts(null), null).map((l) => l.reward.id)).toEqual(['lead']);
    expect(rewardLines(group, purchase(2), facts({ amount: 1_002, number: 2 }), null).map((l) => l.reward.id)).toEqual(['rate', 'big']);
  });
});
