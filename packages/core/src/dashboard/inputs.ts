/*
 * The input schemas and types of the dashboard panels.
 */
import * as z from 'zod';
import { codeInputSchema, dateSchema, limitSchema, ranged, recordIdSchema, userIdSchema } from '../engine/fields';
import type { CommissionStatus, PayoutStatus, ReferralStatus } from '../store/records';
import { COMMISSION_STATUSES, PAYOUT_STATUSES, REFERRAL_STATUSES } from '../store/records';

export const userInputSchema = z.object({ userId: userIdSchema }).strict();
/** One participant, as the per-participant dashboard reads take it. */
export interface UserInput {
  /** Your user id of the participant. */
  userId: string;
}

export const historyInputSchema = z
  .object({
    userId: userIdSchema,
    /** Only commissions with this status (commission history only). */
    status: z.enum(COMMISSION_STATUSES).optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    /** Newest first (default) or oldest first. */
    order: z.enum(['newest', 'oldest']).default('newest'),
    limit: limitSchema(50),
    /** The id of the last item of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .refine((v) => v.from === undefined || v.to === undefined || v.to.getTime() > v.from.getTime(), { message: 'must be after from', path: ['to'] });
/** A page of a participant's history (commissions, referrals, ledger), as the history reads take it. */
export interface HistoryInput {
  /** Your user id of the participant. */
  userId: string;
  /** Only commissions with this status (commission history only). */
  status?: CommissionStatus | undefined;
  /** Only items from this time on, included (a `Date`, an ISO 8601 string or epoch milliseconds). */
  from?: unknown;
  /** Only items before this time, excluded; after `from`. */
  to?: unknown;
  /** Newest first (default) or oldest first. */
  order?: 'newest' | 'oldest' | undefined;
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last item of the previous page. */
  cursor?: string | undefined;
}

export const performanceInputSchema = ranged(731, {
  /** A referrer; the whole program when left out. */
  userId: userIdSchema.optional(),
  granularity: z.enum(['day', 'week', 'month']).default('day'),
});
/** A performance series, as `performance` takes it: at most 731 days. */
export interface PerformanceInput {
  /** A referrer; the whole program when left out. */
  userId?: string | undefined;
  /** One point per day (default), week or month, in the program's time zone. */
  granularity?: 'day' | 'week' | 'month' | undefined;
  /** Start of the period, included (a `Date`, an ISO 8601 string or epoch milliseconds). */
  from: unknown;
  /** End of the period, excluded; after `from`. */
  to: unknown;
}

export const refereeInputSchema = z.object({ refereeId: userIdSchema }).strict();
/** One referee, as `refereeStatus` takes it. */
export interface RefereeInput {
  /** Your user id of the referee. */
  refereeId: string;
}

export const referralOfferInputSchema = z.object({ code: codeInputSchema }).strict();
/** A referral code, as `referralOffer` takes it. */
export interface ReferralOfferInput {
  /** The code a visitor arrived with (`?ref=`); case, spaces and hyphens are ignored. */
  code: string;
}

export const periodInputSchema = ranged(3660, {});
/** A period of at most 3,660 days, as the program-wide period reads take it. */
export interface PeriodInput {
  /** Start of the period, included (a `Date`, an ISO 8601 string or epoch milliseconds). */
  from: unknown;
  /** End of the period, excluded; after `from`. */
  to: unknown;
}

export const topReferrersInputSchema = z
  .object({
    by: z.enum(['earnings', 'qualified']).default('earnings'),
    /** The period; all time when both are left out. */
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    limit: limitSchema(10, 100),
  })
  .strict()
  .refine((v) => (v.from === undefined) === (v.to === undefined), { message: 'give both from and to, or neither', path: ['to'] })
  .refine((v) => v.from === undefined || v.to === undefined || v.to.getTime() > v.from.getTime(), { message: 'must be after from', path: ['to'] });
/** The leaderboard, as `topReferrers` takes it (all fields optional). */
export interface TopReferrersInput {
  /** Rank by earnings in minor units (default) or by qualified referrals. */
  by?: 'earnings' | 'qualified' | undefined;
  /** Start of the period, included; all time when `from` and `to` are both left out. */
  from?: unknown;
  /** End of the period, excluded; give it with `from`. */
  to?: unknown;
  /** How many referrers, 1 to 100; default 10. */
  limit?: number | undefined;
}

export const funnelInputSchema = ranged(3660, { userId: userIdSchema.optional() });
/** The conversion funnel over a period of at most 3,660 days, as `funnel` takes it. */
export interface FunnelInput {
  /** A referrer; the whole program when left out. */
  userId?: string | undefined;
  /** Start of the period, included (a `Date`, an ISO 8601 string or epoch milliseconds). */
  from: unknown;
  /** End of the period, excluded; after `from`. */
  to: unknown;
}

export const referralsByStatusInputSchema = z.object({ status: z.enum(REFERRAL_STATUSES), limit: limitSchema(50), cursor: recordIdSchema.optional() }).strict();
/** A page of the program's referrals with one status, as `referralsByStatus` takes it. */
export interface ReferralsByStatusInput {
  /** The referral status to list. */
  status: ReferralStatus;
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last referral of the previous page. */
  cursor?: string | undefined;
}

export const payoutsByStatusInputSchema = z.object({ status: z.enum(PAYOUT_STATUSES), limit: limitSchema(50), cursor: recordIdSchema.optional() }).strict();
/** A page of the program's payouts with one status, as `payoutsByStatus` takes it. */
export interface PayoutsByStatusInput {
  /** The payout status to list. */
  status: PayoutStatus;
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last payout of the previous page. */
  cursor?: string | undefined;
}

export const statementInputSchema = ranged(3660, { userId: userIdSchema });
/** A participant's statement over a period of at most 3,660 days, as `statement` takes it. */
export interface StatementInput {
  /** Your user id of the participant. */
  userId: string;
  /** Start of the period, included (a `Date`, an ISO 8601 string or epoch milliseconds). */
  from: unknown;
  /** End of the period, excluded; after `from`. */
  to: unknown;
}

export const taxExportInputSchema = z.object({ year: z.number().int().min(2000).max(2999) }).strict();
/** A year of payouts as tax CSV, as `taxExport` takes it. */
export interface TaxExportInput {
  /** The calendar year (2000 to 2999), in the program's time zone. */
  year: number;
}
