/*
 * The input schemas and types of payout methods and payouts.
 */
import { z } from 'zod';
import { emailSchema, positiveAmountSchema, reasonSchema, userIdSchema } from '../engine/fields';
import { bicSchema, ibanSchema } from '../payouts/bank-account';

export const payoutMethodSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paypal'), email: emailSchema }).strict(),
  z
    .object({
      type: z.literal('bank_transfer'),
      accountHolder: z.string().trim().min(1).max(200),
      iban: ibanSchema,
      bic: bicSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('wise'), email: emailSchema }).strict(),
  z.object({ type: z.literal('store_credit') }).strict(),
  z.object({ type: z.literal('other'), details: z.string().trim().min(1).max(1000) }).strict(),
]);

export const setPayoutMethodInputSchema = z.object({ userId: userIdSchema, method: payoutMethodSchema }).strict();
export type SetPayoutMethodInput = z.input<typeof setPayoutMethodInputSchema>;

export const requestPayoutInputSchema = z
  .object({
    userId: userIdSchema,
    /** Defaults to the whole withdrawable balance. */
    amount: positiveAmountSchema.optional(),
  })
  .strict();
export type RequestPayoutInput = z.input<typeof requestPayoutInputSchema>;

const payoutIdSchema = z.string().min(1).max(64);

export const approvePayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema.optional() }).strict();
export type ApprovePayoutInput = z.input<typeof approvePayoutInputSchema>;

export const rejectPayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type RejectPayoutInput = z.input<typeof rejectPayoutInputSchema>;

export const markPayoutPaidInputSchema = z
  .object({
    payoutId: payoutIdSchema,
    adminId: userIdSchema,
    /** The payment's reference at your bank or payment provider. */
    externalReference: z.string().trim().min(1).max(255),
  })
  .strict();
export type MarkPayoutPaidInput = z.input<typeof markPayoutPaidInputSchema>;
