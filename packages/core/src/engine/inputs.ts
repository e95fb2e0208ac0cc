import { z } from 'zod';
import { UTM_KEYS, type UtmKey } from '../links/links';
import { AUDIT_ENTITY_TYPES } from '../store/records';

/** An application's user id: any non-empty string up to 255 characters. */
export const userIdSchema = z.string().trim().min(1, 'must not be empty').max(255);

const emailSchema = z.email({ error: 'must be an email address' }).max(320);

/** Reason given by an admin for a decision; required wherever a person decides. */
const reasonSchema = z.string().trim().min(1, 'a reason is required').max(1000);

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
export type EnrollInput = z.input<typeof enrollInputSchema>;

export const acceptTermsInputSchema = z
  .object({ userId: userIdSchema, version: z.string().min(1).max(64) })
  .strict();
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

export const setStatusInputSchema = z
  .object({ userId: userIdSchema, adminId: userIdSchema, reason: reasonSchema })
  .strict();
export type SetParticipantStatusInput = z.input<typeof setStatusInputSchema>;

export const codeInputSchema = z.string().min(1, 'must not be empty').max(64);

export const attributeInputSchema = z
  .object({
    /** The new user's id in the application. */
    refereeId: userIdSchema,
    /** The code the sign-up came with, as captured (any case, spaces or hyphens). */
    code: codeInputSchema,
    email: emailSchema.optional(),
    ip: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
    userAgent: z.string().max(1024).optional(),
    deviceId: z.string().min(1).max(255).optional(),
    /** Channel the referee came from, e.g. the landing `utm_source`. */
    source: z.string().trim().min(1).max(100).optional(),
    /** When the referral link was clicked (from the capture cookie). */
    clickedAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
export type AttributeInput = z.input<typeof attributeInputSchema>;

export const linkForInputSchema = z
  .object({
    userId: userIdSchema,
    baseUrl: z.string(),
    utm: z.object(Object.fromEntries(UTM_KEYS.map((k) => [k, z.string().optional()])) as Record<UtmKey, z.ZodOptional<z.ZodString>>).partial().optional(),
    params: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type LinkForInput = z.input<typeof linkForInputSchema>;

export const listInputSchema = z
  .object({ limit: z.number().int().min(1).max(1000).default(100) })
  .strict()
  .prefault({});

export const auditEntityTypeSchema = z.enum(AUDIT_ENTITY_TYPES);
