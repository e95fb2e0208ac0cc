/*
 * The input schemas and types of approval, commission rejection and balance adjustments.
 */
import * as z from 'zod';
import { limitSchema, reasonSchema, userIdSchema } from '../engine/fields';

export const approveDueInputSchema = z
  .object({
    /** Approve what is due at this time; defaults to the clock's now. */
    now: z.coerce.date().optional(),
    /** Most commissions to approve in this call. */
    limit: limitSchema(1000, 100_000),
  })
  .strict()
  .prefault({});
/** Approving the commissions whose holding period has ended, as `approveDue` takes it (all fields optional). */
export interface ApproveDueInput {
  /** Approve what is due at this time (a `Date`, an ISO 8601 string or epoch milliseconds); default: the clock's now. */
  now?: unknown;
  /** Most commissions to approve in this call, 1 to 100,000; default 1,000. */
  limit?: number | undefined;
}

export const decideCommissionInputSchema = z.object({ commissionId: z.string().min(1).max(64), adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin rejecting a commission, as `rejectCommission` takes it. */
export interface DecideCommissionInput {
  /** The commission's id. */
  commissionId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

export const adjustBalanceInputSchema = z
  .object({
    userId: userIdSchema,
    /** Signed minor units added to the withdrawable balance (negative to take back). */
    amount: z
      .number()
      .int('must be an integer amount in minor units')
      .min(-Number.MAX_SAFE_INTEGER)
      .max(Number.MAX_SAFE_INTEGER)
      .refine((n) => n !== 0, 'must not be zero'),
    adminId: userIdSchema,
    reason: reasonSchema,
  })
  .strict();
/** An admin adding to or taking from a participant's withdrawable balance, as `adjustBalance` takes it. */
export interface AdjustBalanceInput {
  /** Your user id of the participant. */
  userId: string;
  /** Signed integer in minor units (cents) added to the withdrawable balance; negative to take back, never zero. */
  amount: number;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}
