/*
 * The input schemas and types of a participant's referral links (`linkFor`, `signedLinkFor`, `shareLinksFor`).
 */
import { z } from 'zod';
import { userIdSchema } from '../engine/fields';
import { utmSchema } from '../links/links';

export const linkForInputSchema = z
  .object({
    userId: userIdSchema,
    baseUrl: z.string(),
    /** UTM parameters by name without `utm_` (`{ source: 'newsletter' }`); an unknown key is a ValidationError naming it. */
    utm: utmSchema.optional(),
    params: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type LinkForInput = z.input<typeof linkForInputSchema>;

export const signedLinkForInputSchema = linkForInputSchema
  .extend({
    /** When the link stops attributing; default: the program's `links.signing.defaultDays` from now. */
    expiresAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
export type SignedLinkForInput = z.input<typeof signedLinkForInputSchema>;

export const shareLinksForInputSchema = linkForInputSchema
  .extend({
    text: z.string().max(1000).optional(),
    subject: z.string().max(200).optional(),
    /** Tag each network's link with `utm_source=<network>`. */
    tagNetworks: z.boolean().optional(),
  })
  .strict();
export type ShareLinksForInput = z.input<typeof shareLinksForInputSchema>;
