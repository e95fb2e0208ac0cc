/*
 * The input schemas and types of payout methods and payouts.
 */
import { z } from 'zod';
import { emailSchema, positiveAmountSchema, reasonSchema, userIdSchema } from '../engine/fields';
import { bicSchema, ibanSchema } from '../payouts/bank-account';
import type { PayoutMethod } from '../store/records';

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
/** How a participant wants to be paid, as `setPayoutMethod` takes it. */
export interface SetPayoutMethodInput {
  /** Your user id of the participant. */
  userId: string;
  /** The payout method: PayPal or Wise (an e-mail), a bank transfer (holder, IBAN, optional BIC), store credit, or other details. */
  method: PayoutMethod;
}

export const requestPayoutInputSchema = z
  .object({
    userId: userIdSchema,
    /** Defaults to the whole withdrawable balance. */
    amount: positiveAmountSchema.optional(),
  })
  .strict();
/** A participant asking to be paid out, as `requestPayout` takes it. */
export interface RequestPayoutInput {
  /** Your user id of the participant. */
  userId: string;
  /** How much, a positive integer in minor units; default: the whole withdrawable balance. */
  amount?: number | undefined;
}

const payoutIdSchema = z.string().min(1).max(64);

export const approvePayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema.optional() }).strict();
/** An admin approving a requested payout, as `approvePayout` takes it. */
export interface ApprovePayoutInput {
  /** The payout's id. */
  payoutId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail; optional for an approval. */
  reason?: string | undefined;
}

export const rejectPayoutInputSchema = z.object({ payoutId: payoutIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin rejecting a requested payout, as `rejectPayout` takes it; the amount goes back to the withdrawable balance. */
export interface RejectPayoutInput {
  /** The payout's id. */
  payoutId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

export const markPayoutPaidInputSchema = z
  .object({
    payoutId: payoutIdSchema,
    adminId: userIdSchema,
    /** The payment's reference at your bank or payment provider. */
    externalReference: z.string().trim().min(1).max(255),
  })
  .strict();
/** An admin recording that an approved payout was paid, as `markPayoutPaid` takes it. */
export interface MarkPayoutPaidInput {
  /** The payout's id. */
  payoutId: string;
  /** Your id of the admin, written to the audit trail. */
  adminId: string;
  /** The payment's reference at your bank or payment provider. */
  externalReference: string;
}
