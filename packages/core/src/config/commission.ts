import * as z from 'zod';
import { PERIODS, type Period } from '../clock/periods';
import { ROUNDING_MODES, type RoundingMode } from '../money/rounding';

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

/** A commission configuration as written in the program configuration (`commission`); defaults may be left out. */
export interface CommissionConfigInput {
  /** The base rule: a fixed amount per qualified referral, a percentage of purchases, or tiers of either. */
  rule: CommissionRuleInput;
  /** Rate or amount overrides active from `start` (included) to `end` (excluded), optionally for some products only; default none. */
  promotions?:
    | Array<{
        /** Your id of the promotion, stamped on the commission lines it decides. */
        id: string;
        /** When it starts, included (a `Date`, an ISO 8601 string or epoch milliseconds). */
        start: unknown;
        /** When it ends, excluded; after `start`. */
        end: unknown;
        /** Only purchases of these products; all purchases when left out. */
        productIds?: string[] | undefined;
        /** The rate in basis points (2000 = 20 %, at most 10000); give this or `amount`. */
        rateBps?: number | undefined;
        /** A fixed amount in minor units; give this or `rateBps`. */
        amount?: number | undefined;
      }>
    | undefined;
  /** A rate or amount for given products; wins over promotions, tiers and the base rule. Default none. */
  productOverrides?:
    | Array<{
        /** The products it applies to (at least one). */
        productIds: string[];
        /** The rate in basis points (2000 = 20 %, at most 10000); give this or `amount`. */
        rateBps?: number | undefined;
        /** A fixed amount in minor units; give this or `rateBps`. */
        amount?: number | undefined;
      }>
    | undefined;
  /** One-time bonuses when a referrer's qualified referrals (all time) reach a count; the counts distinct. Default none. */
  milestones?:
    | Array<{
        /** The count of qualified referrals that earns the bonus. */
        qualifiedReferrals: number;
        /** The bonus in minor units. */
        amount: number;
      }>
    | undefined;
  /** Limits on what is earned; default none. */
  caps?:
    | {
        /** Largest single commission line, in minor units. */
        perCommission?: number | undefined;
        /** Most a referrer earns from commission lines per calendar period (in the program time zone), in minor units. */
        perReferrer?: { amount: number; period: Period } | undefined;
      }
    | undefined;
  /** Double-sided reward: a credit of `amount` (minor units, at least 1) to the referee's own balance when their referral qualifies. */
  welcomeReward?: { amount: number } | undefined;
  /** Days a commission stays pending before `approveDue` may approve it, 0 to 3650; default 30. */
  holdingDays?: number | undefined;
  /** How a percentage commission is rounded to minor units: `half_even` (default) or `half_up`. */
  rounding?: RoundingMode | undefined;
}

/** The base commission rule, as written in `commission.rule`. */
export type CommissionRuleInput =
  | {
      /** A fixed amount per qualified referral. */
      type: 'fixed';
      /** The amount in minor units. */
      amount: number;
    }
  | {
      /** A percentage of the referee's purchases. */
      type: 'percentage';
      /** The rate in basis points: 2000 = 20 %, at most 10000. */
      rateBps: number;
      /** Which purchases earn; default the first purchase only. */
      scope?: PercentageScope | undefined;
    }
  | {
      /** Rates or amounts that rise with what the referrer reached. */
      type: 'tiered';
      /** What the tiers count: the referrer's qualified referrals (default), or their referees' revenue in minor units. */
      basis?: 'qualified_referrals' | 'referred_revenue' | undefined;
      /** Over which calendar period the count runs (in the program time zone); default `all_time`. */
      period?: Period | undefined;
      /** Ascending by `from`; all give `rateBps` (a percentage per purchase) or all give `amount` (a fixed amount per referral). */
      tiers: Array<{
        /** The tier applies once the count reaches this value (qualified referrals, or revenue in minor units). */
        from: number;
        /** The rate in basis points; give this or `amount`. */
        rateBps?: number | undefined;
        /** A fixed amount in minor units; give this or `rateBps`. */
        amount?: number | undefined;
      }>;
      /** For rate tiers: which purchases earn; default the first purchase only. */
      scope?: PercentageScope | undefined;
    };
