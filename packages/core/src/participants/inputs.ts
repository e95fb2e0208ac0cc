/*
 * The input schemas and types of enrollment, terms, code replacement and participant status.
 */
import { z } from 'zod';
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
export type AcceptTermsInput = z.input<typeof acceptTermsInputSchema>;

export const replaceCodeInputSchema = z
  .object({
    userId: userIdSchema,
    /** The new vanity code; a generated one when left out. */
    newCode: z.string().min(1).max(64).optional(),
    adminId: userIdSchema,
    reason: reasonSchema,
  })
  .strict();
export type ReplaceCodeInput = z.input<typeof replaceCodeInputSchema>;

export const setStatusInputSchema = z.object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema }).strict();
export type SetParticipantStatusInput = z.input<typeof setStatusInputSchema>;
