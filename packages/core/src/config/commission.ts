import { z } from 'zod';
import { PERIODS } from '../clock/periods';
import { ROUNDING_MODES } from '../money/rounding';

/** An amount in minor units of the program currency. */
export const amountSchema = z.number().int('must be a whole number of minor units').min(0).max(Number.MAX_SAFE_INTEGER);
/** A rate in basis points: 2000 = 20 %. At most 100 %. */
const rateBpsSchema = z.number().int('must be whole basis points').min(0).max(10_000, 'must be at most 10000 (100 %)');

/** What a line pays: a rate of the purchase, or a fixed amount. */
const termsFields = { rateBps: rateBpsSchema.optional(), amount: amountSchema.optional() };
const exactlyOne = (t: { rateBps?: number | undefined; amount?: number | undefined }) => (t.rateBps === undefined) !== (t.amount === undefined);
const exactlyOneMessage = { message: 'give exactly one of rateBps or amount' };

/** Which purchases of a referee earn a percentage commission. */
export const percentageScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('first_purchase') }).strict(),
  z.object({ type: z.literal('within_months'), months: z.number().int().min(1).max(600) }).strict(),
  z.object({ type: z.literal('max_purchases'), count: z.number().int().min(1).max(100_000) }).strict(),
  z.object({ type: z.literal('lifetime') }).strict(),
]);
export type PercentageScope = z.output<typeof percentageScopeSchema>;

const tierSchema = z
  .object({
    /** The tier applies once the counter reaches this value (qualified referrals, or revenue in minor units). */
    from: z.number().int().min(0),
    ...termsFields,
  })
  .strict()
  .refine(exactlyOne, exactlyOneMessage);

export const commissionRuleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), amount: amountSchema }).strict(),
  z
    .object({
      type: z.literal('percentage'),
      rateBps: rateBpsSchema,
      scope: percentageScopeSchema.default({ type: 'first_purchase' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('tiered'),
      /** What the tiers count: the referrer's qualified referrals, or their referees' revenue. */
      basis: z.enum(['qualified_referrals', 'referred_revenue']).default('qualified_referrals'),
      /** Over which period the count runs; calendar periods in the program time zone. */
      period: z.enum(PERIODS).default('all_time'),
      /** Ascending by `from`; all rates (a percentage per purchase) or all amounts (a fixed amount per referral). */
      tiers: z.array(tierSchema).min(1),
      /** For rate tiers: which purchases earn. */
      scope: percentageScopeSchema.default({ type: 'first_purchase' }),
    })
    .strict()
    .superRefine((rule, ctx) => {
      rule.tiers.forEach((tier, i) => {
        const previous = rule.tiers[i - 1];
        if (previous && tier.from <= previous.from) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'from'], message: 'tiers must ascend by from' });
      });
      const kinds = new Set(rule.tiers.map((t) => (t.rateBps === undefined ? 'amount' : 'rate')));
      if (kinds.size > 1) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'all tiers must give rateBps, or all amount' });
    }),
]);
export type CommissionRule = z.output<typeof commissionRuleSchema>;

const productIdSchema = z.string().min(1).max(255);

export const commissionConfigSchema = z
  .object({
    rule: commissionRuleSchema,
    /** Rate or amount overrides active in [start, end), optionally for some products only. */
    promotions: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            start: z.coerce.date(),
            end: z.coerce.date(),
            productIds: z.array(productIdSchema).min(1).optional(),
            ...termsFields,
          })
          .strict()
          .refine(exactlyOne, exactlyOneMessage)
          .refine((p) => p.start.getTime() < p.end.getTime(), { message: 'start must be before end', path: ['end'] }),
      )
      .default([]),
    /** A rate or amount for given products; wins over promotions, tiers and the base rule. */
    productOverrides: z
      .array(
        z
          .object({ productIds: z.array(productIdSchema).min(1), ...termsFields })
          .strict()
          .refine(exactlyOne, exactlyOneMessage),
      )
      .default([]),
    /** One-time bonuses when a referrer's qualified referrals (all time) reach a count. */
    milestones: z
      .array(z.object({ qualifiedReferrals: z.number().int().min(1), amount: amountSchema }).strict())
      .default([])
      .refine((ms) => new Set(ms.map((m) => m.qualifiedReferrals)).size === ms.length, 'milestone counts must be distinct'),
    caps: z
      .object({
        /** Largest single commission line. */
        perCommission: amountSchema.optional(),
        /** Most a referrer earns from commission lines per period. */
        perReferrer: z
          .object({ amount: amountSchema, period: z.enum(PERIODS) })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    /** Double-sided reward: a credit to the referee's own balance when their referral qualifies. */
    welcomeReward: z
      .object({ amount: amountSchema.min(1) })
      .strict()
      .optional(),
    /** Days a commission stays pending before `approveDue` may approve it. */
    holdingDays: z.number().int().min(0).max(3650).default(30),
    rounding: z.enum(ROUNDING_MODES).default('half_even'),
  })
  .strict();
export type CommissionConfig = z.output<typeof commissionConfigSchema>;
