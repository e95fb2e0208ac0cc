/*
 * The input schemas and types of sign-in signals, reviews, referral rejection, erasure and audit reads.
 */
import { z } from 'zod';
import { ipSchema, limitSchema, reasonSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import { AUDIT_ENTITY_TYPES } from '../store/records';

export const auditEntityTypeSchema = z.enum(AUDIT_ENTITY_TYPES);

export const recordSignInInputSchema = z
  .object({
    userId: userIdSchema,
    ip: ipSchema.optional(),
    deviceId: z.string().min(1).max(255).optional(),
    /** A payment method the user holds (your provider's card or account fingerprint). */
    paymentFingerprint: z.string().trim().min(1).max(255).optional(),
  })
  .strict()
  .refine((v) => v.ip !== undefined || v.deviceId !== undefined || v.paymentFingerprint !== undefined, {
    message: 'pass at least one of ip, deviceId, paymentFingerprint',
    path: ['ip'],
  });
export type RecordSignInInput = z.input<typeof recordSignInInputSchema>;

export const decideReviewInputSchema = z
  .object({ reviewId: recordIdSchema, decision: z.enum(['approve', 'reject']), adminId: userIdSchema, reason: reasonSchema })
  .strict();
export type DecideReviewInput = z.input<typeof decideReviewInputSchema>;

export const rejectReferralInputSchema = z.object({ referralId: recordIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type RejectReferralInput = z.input<typeof rejectReferralInputSchema>;

export const listReviewsInputSchema = z
  .object({
    status: z.enum(['open', 'approved', 'rejected']).default('open'),
    limit: limitSchema(50),
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .prefault({});
export type ListReviewsInput = z.input<typeof listReviewsInputSchema>;

export const eraseUserInputSchema = z.object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type EraseUserInput = z.input<typeof eraseUserInputSchema>;
