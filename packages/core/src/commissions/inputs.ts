/*
 * The input schemas and types of approval, commission rejection and balance adjustments.
 */
import { z } from 'zod';
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
export type ApproveDueInput = z.input<typeof approveDueInputSchema>;

export const decideCommissionInputSchema = z.object({ commissionId: z.string().min(1).max(64), adminId: userIdSchema, reason: reasonSchema }).strict();
export type DecideCommissionInput = z.input<typeof decideCommissionInputSchema>;

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
export type AdjustBalanceInput = z.input<typeof adjustBalanceInputSchema>;
