import * as z from 'zod';
import { PERIODS, type Period } from '../clock/periods';
import { countrySchema } from '../engine/country';
import { amountSchema, type CommissionConfigInput, commissionConfigSchema, type PercentageScope, percentageScopeSchema } from './commission';
import { refereeDiscountSchema } from './referee-discount';

/*
 * Partner groups and the rewards of a group (the rules that use them are in
 * `groups/`). A program's top-level `commission`, `rewards` and
 * `refereeDiscount` are its default group, `default`; `groups` names more.
 */

/** The name of the group a participant is in until an admin moves them (`moveToGroup`). */
export const DEFAULT_GROUP = 'default';

/** A group's name: 1–64 letters, digits, `_` or `-`, starting with a letter or digit; `default` is the program's default group. */
export const groupIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, _ or - (starting with a letter or digit)');

const rateBpsSchema = z.number().int('must be whole basis points').min(0).max(10_000, 'must be at most 10000 (100 %)');
const idList = z.array(z.string().min(1).max(255)).min(1);
const metadataValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** One condition of a reward on the purchase or the referee. */
export const rewardConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('product'), productIds: idList }).strict(),
  z.object({ type: z.literal('plan'), planIds: idList }).strict(),
  z
    .object({ type: z.literal('amount'), min: amountSchema.optional(), max: amountSchema.optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'give min, max or both', path: ['min'] })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: 'min must not exceed max', path: ['max'] }),
  z.object({ type: z.literal('country'), countries: z.array(countrySchema).min(1) }).strict(),
  z.object({ type: z.literal('first_purchase'), is: z.boolean().default(true) }).strict(),
  z.object({ type: z.literal('metadata'), key: z.string().min(1).max(255), values: z.array(metadataValue).min(1) }).strict(),
]);
export type RewardCondition = z.output<typeof rewardConditionSchema>;

const conditionsFields = {
  conditions: z.array(rewardConditionSchema).default([]),
  match: z.enum(['all', 'any']).default('all'),
};
const rewardIdSchema = z.string().min(1).max(64);

export const rewardSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('lead'), id: rewardIdSchema, amount: amountSchema, ...conditionsFields }).strict(),
  z
    .object({
      event: z.literal('sale'),
      id: rewardIdSchema,
      rateBps: rateBpsSchema.optional(),
      amount: amountSchema.optional(),
      scope: percentageScopeSchema.default({ type: 'lifetime' }),
      ...conditionsFields,
    })
    .strict()
    .refine((r) => (r.rateBps === undefined) !== (r.amount === undefined), { message: 'give exactly one of rateBps or amount' }),
  z
    .object({
      event: z.literal('bounty'),
      id: rewardIdSchema,
      amount: amountSchema,
      goal: z
        .object({
          basis: z.enum(['qualified_referrals', 'referred_revenue']),
          target: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
          period: z.enum(PERIODS),
        })
        .strict(),
    })
    .strict(),
]);
export type Reward = z.output<typeof rewardSchema>;

/** Rewards of one group: ids distinct, a lead reward's conditions only on the referee (a sign-up has no purchase). */
export const rewardsSchema = z
  .array(rewardSchema)
  .default([])
  .superRefine((rewards, ctx) => {
    const seen = new Set<string>();
    rewards.forEach((reward, i) => {
      if (seen.has(reward.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `reward ids must be distinct: "${reward.id}" is repeated` });
      seen.add(reward.id);
      if (reward.event !== 'lead') return;
      reward.conditions.forEach((c, j) => {
        if (c.type !== 'country') {
          ctx.addIssue({ code: 'custom', path: [i, 'conditions', j, 'type'], message: 'a lead (sign-up) has no purchase: only country conditions apply' });
        }
      });
    });
  });

export const groupConfigSchema = z
  .object({
    /** The group's commission configuration; without it the group's lines come from its rewards only. */
    commission: commissionConfigSchema.optional(),
    rewards: rewardsSchema,
    /** What a customer referred by a member of this group is given. */
    refereeDiscount: refereeDiscountSchema.optional(),
  })
  .strict();
export type GroupConfig = z.output<typeof groupConfigSchema>;

/** The named groups of a program (never `default`, which is the top-level configuration). */
export const groupsSchema = z
  .record(groupIdSchema, groupConfigSchema)
  .default({})
  .superRefine((groups, ctx) => {
    if (Object.hasOwn(groups, DEFAULT_GROUP)) {
      ctx.addIssue({
        code: 'custom',
        path: [DEFAULT_GROUP],
        message: 'the default group is the top-level commission, rewards and refereeDiscount; name this group otherwise',
      });
    }
  });

/** A condition of a reward, as written in `rewards[].conditions`. */
export type RewardConditionInput =
  | {
      /** The purchase is of one of these products (`recordPurchase`'s `productId`). */
      type: 'product';
      productIds: string[];
    }
  | {
      /** The purchase is of one of these plans (`recordPurchase`'s `planId`). */
      type: 'plan';
      planIds: string[];
    }
  | {
      /** The purchase amount, in minor units, is at least `min` and at most `max` (both included; give one or both). */
      type: 'amount';
      min?: number | undefined;
      max?: number | undefined;
    }
  | {
      /** The referee's country (`attribute`'s `country`, ISO 3166-1 alpha-2) is one of these. */
      type: 'country';
      countries: string[];
    }
  | {
      /** The purchase is the referee's first (`is: true`, default) or a later one (`is: false`). */
      type: 'first_purchase';
      is?: boolean | undefined;
    }
  | {
      /** The purchase's `metadata[key]` equals one of `values` (a string, number or boolean, compared exactly). */
      type: 'metadata';
      key: string;
      values: Array<string | number | boolean>;
    };

/** A reward of a group, as written in `rewards`: its own commission line on a sign-up, a purchase, or a goal reached. */
export type RewardInput =
  | {
      /** The referee's sign-up: a fixed amount, when the referral is made. */
      event: 'lead';
      /** Your id of the reward, distinct within the group; stamped on its lines. */
      id: string;
      /** The amount in minor units. */
      amount: number;
      /** Conditions on the referee (a sign-up has no purchase: `country` only), checked in their order; none: every sign-up. */
      conditions?: RewardConditionInput[] | undefined;
      /** `all` (default): every condition holds; `any`: at least one does. */
      match?: 'all' | 'any' | undefined;
    }
  | {
      /** Each purchase of the referee that meets the conditions (within `scope`). */
      event: 'sale';
      /** Your id of the reward, distinct within the group; stamped on its lines. */
      id: string;
      /** A rate of the purchase in basis points (2000 = 20 %); give this or `amount`. */
      rateBps?: number | undefined;
      /** A fixed amount in minor units per purchase; give this or `rateBps`. */
      amount?: number | undefined;
      /** Which purchases of a referee earn; default every purchase (`lifetime`). */
      scope?: PercentageScope | undefined;
      /** Conditions on the purchase and the referee, checked in their order; none: every purchase in scope. */
      conditions?: RewardConditionInput[] | undefined;
      /** `all` (default): every condition holds; `any`: at least one does. */
      match?: 'all' | 'any' | undefined;
    }
  | {
      /** Once per period, when the referrer reaches a goal in it. */
      event: 'bounty';
      /** Your id of the reward, distinct within the group; stamped on its line. */
      id: string;
      /** The bounty in minor units. */
      amount: number;
      /** The goal: `target` qualified referrals, or `target` minor units of their referees' revenue, within one calendar `period`. */
      goal: { basis: 'qualified_referrals' | 'referred_revenue'; target: number; period: Period };
    };

/** A group of a program, as written in `groups`. */
export interface GroupConfigInput {
  /** The group's commission configuration (rule, tiers, promotions, caps, holding period, welcome reward); none: rewards only. */
  commission?: CommissionConfigInput | undefined;
  /** More lines, each its own: on the sign-up (`lead`), on purchases (`sale`), on a goal reached (`bounty`). Default none. */
  rewards?: RewardInput[] | undefined;
  /** What a customer referred by a member of this group is given (as the program's `refereeDiscount`). */
  refereeDiscount?: z.input<typeof refereeDiscountSchema> | undefined;
}
