/*
 * The input schemas and types of enrollment, terms, code replacement and participant status.
 */
import * as z from 'zod';
import { emailSchema, reasonSchema, userIdSchema } from '../engine/fields';

export const enrollInputSchema = z
  .object({
    userId: userIdSchema,
    email: emailSchema.optional(),
    /** A vanity code to use instead of a generated one. */
    code: z.string().min(1).max(64).optional(),
    /** Version of the program terms the user accepted. */
    acceptedTermsVersion: z.string().min(1).max(64).optional(),
  })
  .strict();
/** A registered user joining the referral program, as `enroll` takes it. */
export interface EnrollInput {
  /** Your user id; enrolling the same id again returns the same participant. */
  userId: string;
  /** The user's e-mail address, used to refuse self-referrals. */
  email?: string | undefined;
  /** A vanity code to use instead of a generated one. */
  code?: string | undefined;
  /** Version of the program terms the user accepted. */
  acceptedTermsVersion?: string | undefined;
}

export const acceptTermsInputSchema = z.object({ userId: userIdSchema, version: z.string().min(1).max(64) }).strict();
/** A participant accepting a version of the program terms, as `acceptTerms` takes it. */
export interface AcceptTermsInput {
  /** Your user id of the participant. */
  userId: string;
  /** Version of the program terms the user accepted (your own label, up to 64 characters). */
  version: string;
}

export const replaceCodeInputSchema = z
  .object({
    userId: userIdSchema,
    /** The new vanity code; a generated one when left out. */
    newCode: z.string().min(1).max(64).optional(),
    adminId: userIdSchema,
    reason: reasonSchema,
  })
  .strict();
/** An admin replacing a participant's code, as `replaceCode` takes it; the old code is retired and still resolves to its owner. */
export interface ReplaceCodeInput {
  /** Your user id of the participant. */
  userId: string;
  /** The new vanity code; a generated one when left out. */
  newCode?: string | undefined;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}

export const setStatusInputSchema = z.object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
/** An admin suspending, banning or reactivating a participant, as `suspend`, `ban` and `reactivate` take it. */
export interface SetParticipantStatusInput {
  /** Your user id of the participant. */
  userId: string;
  /** Your id of the admin deciding, written to the audit trail. */
  adminId: string;
  /** Why, written to the audit trail (must not quote personal data). */
  reason: string;
}
