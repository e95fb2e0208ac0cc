/*
 * The input schemas and types of sign-in signals, reviews, referral rejection, erasure and audit reads.
 */
import * as z from 'zod';
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
/** What a participant signed in with, as `recordSignIn` takes it: at least one of `ip`, `deviceId`, `paymentFingerprint`. */
export interface RecordSignInInput {
  /** Your user id of the participant. */
  userId: string;
  /** The IP address signed in from (IPv4 or IPv6); stored only as a keyed hash. */
  ip?: string | undefined;
  /** Your device id; stored only as a keyed hash. */
  deviceId?: string | undefined;
  /** A payment method the user holds (your provider's card or account fingerprint); stored only as a keyed hash. */
  paymentFingerprint?: string | undefined;
}

export const decideReviewInputSchema = z
  .object({ reviewId: recordIdSchema, decision: z.enum(['approve', 'reject']), adminId: userIdSchema, reason: reasonSchema })
  .strict();
/** An admin deciding an open review, as `decideReview` takes it. */
export interface DecideReviewInput {
  /** The review's id. */
  reviewId: string;
  /** `approve` releases what the review held; `reject` rejects the referral or commission it held. */
  decision: 'approve' | 'reject';
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

export const rejectReferralInputSchema = z.object({ referralId: recordIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin rejecting a referral, as `rejectReferral` takes it; its commissions are voided or clawed back. */
export interface RejectReferralInput {
  /** The referral's id. */
  referralId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

export const listReviewsInputSchema = z
  .object({
    status: z.enum(['open', 'approved', 'rejected']).default('open'),
    limit: limitSchema(50),
    cursor: recordIdSchema.optional(),
  })
  .strict()
  .prefault({});
/** A page of the review queue, as `listReviews` takes it (all fields optional). */
export interface ListReviewsInput {
  /** Reviews with this status; default `open`. */
  status?: 'open' | 'approved' | 'rejected' | undefined;
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last review of the previous page. */
  cursor?: string | undefined;
}

export const eraseUserInputSchema = z.object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin erasing a person's personal data everywhere, as `eraseUser` takes it; amounts and balances stay. */
export interface EraseUserInput {
  /** Your user id of the person (as participant, referee, inviter, invitee and payee). */
  userId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}
