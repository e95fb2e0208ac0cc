import { describe, expect, it } from 'vitest';
import { type CommissionConfig, commissionConfigSchema } from '../config/commission';
import { calculateLine, type LineContext, paysPerReferral, tierIndex } from './calculate';

const config = (input: Record<string, unknown>): CommissionConfig => commissionConfigSchema.parse(input);
const percent = (rateBps: number, extra: Record<string, unknown> = {}) => config({ rule: { type: 'percentage', rateBps, scope: { type: 'lifetime' } }, ...extra });

const AT = new Date('2026-03-15T12:00:00.000Z');
/** A purchase of `amount` (the referee's first unless `number` says otherwise) with nothing capped and no tier counted yet. */
const purchase = (amount: number, extra: Partial<LineContext> & { productId?: string; number?: number } = {}): LineContext => {
  const { productId, number, ...rest } = extra;
  return {
    trigger: 'purchase',
    at: AT,
    purchase: { amount, productId: productId ?? null, number: number ?? 1 },
    referralAttributedAt: new Date('2026-03-01T12:00:00.000Z'),
    qualifiesNow: (number ?? 1) === 1,
    tierCountBefore: 0,
    capRemaining: null,
    timeZone: 'UTC',
    ...rest,
  };
};
const signup: LineContext = { trigger: 'signup', at: AT, referralAttributedAt: AT, qualifiesNow: true, tierCountBefore: 0, capRemaining: null, timeZone: 'UTC' };

/** The line's amount and the calculation parts that say why. */
function line(c: CommissionConfig, ctx: LineContext) {
  const outcome = calculateLine(c, ctx);
  if (!outcome.due) throw new Error('expected a line to be due');
  return outcome;
}

const promotion = { id: 'spring', start: '2026-03-10T00:00:00Z', end: '2026-03-20T00:00:00Z', rateBps: 3000 };
const override = { productIds: ['annual'], rateBps: 4000 };
const tiered = {
  type: 'tiered',
  tiers: [
    { from: 0, rateBps: 1000 },
    { from: 5, rateBps: 1500 },
    { from: 10, rateBps: 2000 },
  ],
  scope: { type: 'lifetime' },
};

describe('when a line is due', () => {
  it('a fixed reward pays once, when the referral qualifies, whatever the purchase', () => {
    const fixed = config({ rule: { type: 'fixed', amount: 2000 } });
    expect(paysPerReferral(fixed)).toBe(true);
    expect(line(fixed, purchase(4900))).toMatchObject({ amount: 2000, calculation: { rule: 'fixed', source: 'base', fixedAmount: 2000, baseAmount: 0, uncapped: 2000 } });
    expect(line(fixed, signup).amount).toBe(2000);
    expect(calculateLine(fixed, purchase(4900, { number: 2 }))).toEqual({ due: false });
  });

  it('a percentage pays on each purchase its scope covers, never at sign-up', () => {
    expect(paysPerReferral(percent(1000))).toBe(false);
    expect(calculateLine(percent(1000), signup)).toEqual({ due: false });
    const first = config({ rule: { type: 'percentage', rateBps: 1000, scope: { type: 'first_purchase' } } });
    expect(line(first, purchase(4900)).amount).toBe(490);
    expect(calculateLine(first, purchase(4900, { number: 2 }))).toEqual({ due: false });
    const three = config({ rule: { type: 'percentage', rateBps: 1000, scope: { type: 'max_purchases', count: 3 } } });
    expect(line(three, purchase(1000, { number: 3 })).amount).toBe(100);
    expect(calculateLine(three, purchase(1000, { number: 4 }))).toEqual({ due: false });
    // Within two calendar months of the referral (attributed 1 March): up to, not including, 1 May.
    const months = config({ rule: { type: 'percentage', rateBps: 1000, scope: { type: 'within_months', months: 2 } } });
    expect(line(months, purchase(1000, { number: 5, at: new Date('2026-05-01T11:59:59.999Z') })).amount).toBe(100);
    expect(calculateLine(months, purchase(1000, { number: 5, at: new Date('2026-05-01T12:00:00.000Z') }))).toEqual({ due: false });
  });
});

describe('what a line pays: first match wins', () => {
  const all = (extra: Record<string, unknown> = {}) => config({ rule: tiered, promotions: [promotion], productOverrides: [override], ...extra });

  it('a product override wins over a promotion, a tier and the base rule: 40 % of 4900 is 1960', () => {
    expect(line(all(), purchase(4900, { productId: 'annual', tierCountBefore: 10 }))).toMatchObject({
      amount: 1960,
      calculation: { source: 'product_override', productId: 'annual', rateBps: 4000, baseAmount: 4900, uncapped: 1960 },
    });
  });

  it('a promotion active at the event time wins over the tier: 30 % of 4900 is 1470; outside its dates the tier pays', () => {
    expect(line(all(), purchase(4900, { productId: 'monthly', tierCountBefore: 10 }))).toMatchObject({
      amount: 1470,
      calculation: { source: 'promotion', promotionId: 'spring', rateBps: 3000 },
    });
    // [start, end): the end itself is outside.
    expect(line(all(), purchase(4900, { at: new Date('2026-03-20T00:00:00Z'), tierCountBefore: 10 })).calculation).toMatchObject({ source: 'tier', rateBps: 2000 });
    expect(line(all(), purchase(4900, { at: new Date('2026-03-10T00:00:00Z') })).calculation).toMatchObject({ source: 'promotion' });
  });

  it('a promotion for some products applies to those only', () => {
    const c = all({ promotions: [{ ...promotion, productIds: ['annual', 'lifetime'] }], productOverrides: [] });
    expect(line(c, purchase(4900, { productId: 'lifetime' })).calculation).toMatchObject({ source: 'promotion', rateBps: 3000 });
    expect(line(c, purchase(4900, { productId: 'monthly' })).calculation).toMatchObject({ source: 'tier', rateBps: 1000 });
    expect(line(c, purchase(4900)).calculation).toMatchObject({ source: 'tier' });
  });

  it('the tier is the one the referrer is in before the event: the accrual that reaches tier 2 is paid at tier 1', () => {
    const c = config({ rule: tiered });
    expect(line(c, purchase(10_000, { tierCountBefore: 4 }))).toMatchObject({
      amount: 1000,
      calculation: { source: 'tier', tier: { index: 0, from: 0, countBefore: 4, periodKey: 'all' } },
    });
    expect(line(c, purchase(10_000, { tierCountBefore: 5 }))).toMatchObject({ amount: 1500, calculation: { tier: { index: 1, from: 5 } } });
    expect(line(c, purchase(10_000, { tierCountBefore: 250 }))).toMatchObject({ amount: 2000, calculation: { tier: { index: 2, from: 10 } } });
    expect(tierIndex([{ from: 3 }, { from: 5 }], 0)).toBe(0);
  });

  it('amount tiers pay a fixed amount per referral, by tier', () => {
    const c = config({
      rule: {
        type: 'tiered',
        tiers: [
          { from: 0, amount: 1000 },
          { from: 3, amount: 2500 },
        ],
      },
    });
    expect(paysPerReferral(c)).toBe(true);
    expect(line(c, signup)).toMatchObject({ amount: 1000, calculation: { rule: 'tiered', source: 'tier', fixedAmount: 1000, baseAmount: 0 } });
    expect(line(c, { ...signup, tierCountBefore: 3 }).amount).toBe(2500);
  });

  it('the base rule pays when nothing else matches: 20 % of 4900 is 980', () => {
    expect(
      line(percent(2000, { promotions: [promotion], productOverrides: [override] }), purchase(4900, { at: new Date('2026-04-01T00:00:00Z'), productId: 'monthly' })),
    ).toMatchObject({
      amount: 980,
      calculation: { rule: 'percentage', source: 'base', rateBps: 2000, baseAmount: 4900, rounding: 'half_even', uncapped: 980 },
    });
  });
});

describe('rounding, once per line', () => {
  it('half-even by default: 10 % of 25 is 2, of 35 is 4; half-up when the program says so: 3', () => {
    expect(line(percent(1000), purchase(25)).amount).toBe(2);
    expect(line(percent(1000), purchase(35)).amount).toBe(4);
    expect(line(percent(1000, { rounding: 'half_up' }), purchase(25))).toMatchObject({ amount: 3, calculation: { rounding: 'half_up', uncapped: 3 } });
  });

  it('rounds the rate’s result, then caps: the cap compares the rounded amount', () => {
    // 10 % of 125 is 12.5 → 12 (half-even); a cap of 12 does not cut it.
    expect(line(percent(1000, { caps: { perCommission: 12 } }), purchase(125))).toEqual(
      expect.objectContaining({ amount: 12, capped: false, calculation: expect.not.objectContaining({ cappedBy: expect.anything() }) }),
    );
  });
});

describe('caps, last', () => {
  it('the per-commission cap cuts a line to its amount: 30 % of 10000 is 3000, capped at 2500', () => {
    expect(line(percent(3000, { caps: { perCommission: 2500 } }), purchase(10_000))).toMatchObject({
      amount: 2500,
      capped: true,
      calculation: { uncapped: 3000, cappedBy: 'per_commission' },
    });
  });

  it('then what is left of the referrer’s period cap: 2500 after the per-commission cap, 800 left → 800; nothing left → 0', () => {
    const c = percent(3000, { caps: { perCommission: 2500, perReferrer: { amount: 5000, period: 'month' } } });
    expect(line(c, purchase(10_000, { capRemaining: 800 }))).toMatchObject({
      amount: 800,
      capped: true,
      calculation: { uncapped: 3000, cappedBy: 'per_referrer_period' },
    });
    expect(line(c, purchase(10_000, { capRemaining: 4000 }))).toMatchObject({ amount: 2500, calculation: { cappedBy: 'per_commission' } });
    expect(line(c, purchase(10_000, { capRemaining: 0 }))).toMatchObject({ amount: 0, capped: true });
    expect(line(c, purchase(10_000, { capRemaining: -5 })).amount).toBe(0);
  });

  it('caps a product override and a promotion too', () => {
    const c = config({ rule: tiered, promotions: [promotion], productOverrides: [override], caps: { perCommission: 1000 } });
    expect(line(c, purchase(4900, { productId: 'annual' }))).toMatchObject({
      amount: 1000,
      calculation: { source: 'product_override', uncapped: 1960, cappedBy: 'per_commission' },
    });
    expect(line(c, purchase(4900))).toMatchObject({ amount: 1000, calculation: { source: 'promotion', uncapped: 1470, cappedBy: 'per_commission' } });
  });
});
