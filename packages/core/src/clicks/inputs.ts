/*
 * The input schemas and types of clicks.
 */
import { z } from 'zod';
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
export type RecordClickInput = z.input<typeof recordClickInputSchema>;

export const listClicksInputSchema = z
  .object({
    userId: userIdSchema,
    limit: limitSchema(50),
    /** The id of the last click of the previous page. */
    cursor: recordIdSchema.optional(),
  })
  .strict();
export type ListClicksInput = z.input<typeof listClicksInputSchema>;
