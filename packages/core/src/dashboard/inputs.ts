/*
 * The input schemas and types of the dashboard panels.
 */
import { z } from 'zod';
import { dateSchema, limitSchema, ranged, recordIdSchema, userIdSchema } from '../engine/fields';
import { COMMISSION_STATUSES, PAYOUT_STATUSES, REFERRAL_STATUSES } from '../store/records';

export const userInputSchema = z.object({ userId: userIdSchema }).strict();
export type UserInput = z.input<typeof userInputSchema>;

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
export type HistoryInput = z.input<typeof historyInputSchema>;

export const performanceInputSchema = ranged(731, {
  /** A referrer; the whole program when left out. */
  userId: userIdSchema.optional(),
  granularity: z.enum(['day', 'week', 'month']).default('day'),
});
export type PerformanceInput = z.input<typeof performanceInputSchema>;

export const refereeInputSchema = z.object({ refereeId: userIdSchema }).strict();
export type RefereeInput = z.input<typeof refereeInputSchema>;

export const periodInputSchema = ranged(3660, {});
export type PeriodInput = z.input<typeof periodInputSchema>;

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
export type TopReferrersInput = z.input<typeof topReferrersInputSchema>;

export const funnelInputSchema = ranged(3660, { userId: userIdSchema.optional() });
export type FunnelInput = z.input<typeof funnelInputSchema>;

export const referralsByStatusInputSchema = z.object({ status: z.enum(REFERRAL_STATUSES), limit: limitSchema(50), cursor: recordIdSchema.optional() }).strict();
export type ReferralsByStatusInput = z.input<typeof referralsByStatusInputSchema>;

export const payoutsByStatusInputSchema = z.object({ status: z.enum(PAYOUT_STATUSES), limit: limitSchema(50), cursor: recordIdSchema.optional() }).strict();
export type PayoutsByStatusInput = z.input<typeof payoutsByStatusInputSchema>;

export const statementInputSchema = ranged(3660, { userId: userIdSchema });
export type StatementInput = z.input<typeof statementInputSchema>;

export const taxExportInputSchema = z.object({ year: z.number().int().min(2000).max(2999) }).strict();
export type TaxExportInput = z.input<typeof taxExportInputSchema>;
