/*
 * The input schemas and types of clicks.
 */
import * as z from 'zod';
import { codeInputSchema, ipSchema, limitSchema, recordIdSchema, userIdSchema } from '../engine/fields';

export const recordClickInputSchema = z
  .object({
    /** The code from the link, as typed or captured; normalised before the lookup. */
    code: codeInputSchema,
    /** The landing page's URL (http or https). */
    landingUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .optional(),
    /** Channel, e.g. the landing `utm_source`. */
    source: z.string().trim().min(1).max(100).optional(),
    /** The visitor's IP address; only its keyed hash is stored. */
    ip: ipSchema.optional(),
  })
  .strict();
/** A click on a referral link, as `recordClick` takes it. */
export interface RecordClickInput {
  /** The code from the link, as typed or captured; normalised before the lookup. */
  code: string;
  /** The landing page's URL (http or https, up to 2,048 characters). */
  landingUrl?: string | undefined;
  /** Channel, e.g. the landing `utm_source`. */
  source?: string | undefined;
  /** The visitor's IP address (IPv4 or IPv6); only its keyed hash is stored. */
  ip?: string | undefined;
}

export const listClicksInputSchema = z
  .object({
    userId: userIdSchema,
    limit: limitSchema(50),
    /** The id of the last click of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict();
/** A page of the clicks on a participant's links, as `listClicks` takes it. */
export interface ListClicksInput {
  /** Your user id of the participant. */
  userId: string;
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last click of the previous page. */
  cursor?: string | undefined;
}
