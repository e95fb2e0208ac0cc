/*
 * The input schema and type of `attribute`.
 */
import * as z from 'zod';
import { countrySchema } from '../engine/country';
import { codeInputSchema, emailSchema, ipSchema, userIdSchema } from '../engine/fields';

export const attributeInputSchema = z
  .object({
    /** The new user's id in the application. */
    refereeId: userIdSchema,
    /** The code the sign-up came with, as captured (any case, spaces or hyphens). */
    code: codeInputSchema,
    email: emailSchema.optional(),
    ip: ipSchema.optional(),
    userAgent: z.string().max(1024).optional(),
    deviceId: z.string().min(1).max(255).optional(),
    /** Channel the referee came from, e.g. the landing `utm_source`. */
    source: z.string().trim().min(1).max(100).optional(),
    /** The referee's country, ISO 3166-1 alpha-2 (e.g. from your sign-up form or IP geolocation); dashboards break sign-ups down by it. */
    country: countrySchema.optional(),
    /** When the referral link was clicked (from the capture cookie). */
    clickedAt: z.coerce.date({ error: 'must be a date' }).optional(),
    /** The application knows this user paid before signing up: not a new customer, so not a referral. */
    existingCustomer: z.boolean().optional(),
    /**
     * The signed link the referee arrived through (see `signedLinkFor`): the
     * attribution is refused if it expired, was changed, or names another code.
     */
    link: z.string().max(4096).optional(),
  })
  .strict();
/** A new sign-up and the code it came with, as `attribute` takes it. */
export interface AttributeInput {
  /** The new user's id in the application. */
  refereeId: string;
  /** The code the sign-up came with, as captured (any case, spaces or hyphens). */
  code: string;
  /** The referee's e-mail address, compared with the referrer's (self-referral); stored only in normal form on the referral. */
  email?: string | undefined;
  /** The referee's IP address (IPv4 or IPv6); stored only as a keyed hash. */
  ip?: string | undefined;
  /** The referee's user agent. */
  userAgent?: string | undefined;
  /** Your device id of the referee's device; stored only as a keyed hash. */
  deviceId?: string | undefined;
  /** Channel the referee came from, e.g. the landing `utm_source`. */
  source?: string | undefined;
  /** The referee's country, ISO 3166-1 alpha-2 (e.g. from your sign-up form or IP geolocation); dashboards break sign-ups down by it. */
  country?: string | undefined;
  /** When the referral link was clicked (from the capture cookie): a `Date`, an ISO 8601 string or epoch milliseconds. */
  clickedAt?: unknown;
  /** The application knows this user paid before signing up: not a new customer, so not a referral. */
  existingCustomer?: boolean | undefined;
  /**
   * The signed link the referee arrived through (see `signedLinkFor`): the
   * attribution is refused if it expired, was changed, or names another code.
   */
  link?: string | undefined;
}
export type AttributeInputData = z.output<typeof attributeInputSchema>;
