/*
 * The input schemas and types of a participant's referral links (`linkFor`, `signedLinkFor`, `shareLinksFor`).
 */
import * as z from 'zod';
import { userIdSchema } from '../engine/fields';
import type { Utm } from '../links/links';
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
/** A participant's referral link, as `linkFor` takes it. */
export interface LinkForInput {
  /** Your user id of the participant whose code the link carries. */
  userId: string;
  /** The page the link lands on, an absolute http(s) URL; its own query parameters are kept. */
  baseUrl: string;
  /** UTM parameters by name without `utm_` (`{ source: 'newsletter' }`); an unknown key is a ValidationError naming it. */
  utm?: Utm | undefined;
  /** Further query parameters to add, e.g. a campaign id of your own. */
  params?: Record<string, string> | undefined;
}

export const signedLinkForInputSchema = linkForInputSchema
  .extend({
    /** When the link stops attributing; default: the program's `links.signing.defaultDays` from now. */
    expiresAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
/** A participant's expiring signed referral link, as `signedLinkFor` takes it. */
export interface SignedLinkForInput {
  /** Your user id of the participant whose code the link carries. */
  userId: string;
  /** The page the link lands on, an absolute http(s) URL; its own query parameters are kept. */
  baseUrl: string;
  /** UTM parameters by name without `utm_` (`{ source: 'newsletter' }`); an unknown key is a ValidationError naming it. */
  utm?: Utm | undefined;
  /** Further query parameters to add, e.g. a campaign id of your own. */
  params?: Record<string, string> | undefined;
  /** When the link stops attributing (a `Date`, an ISO 8601 string or epoch milliseconds); default: the program's `links.signing.defaultDays` from now. */
  expiresAt?: unknown;
}

export const shareLinksForInputSchema = linkForInputSchema
  .extend({
    text: z.string().max(1000).optional(),
    subject: z.string().max(200).optional(),
    /** Tag each network's link with `utm_source=<network>`. */
    tagNetworks: z.boolean().optional(),
  })
  .strict();
/** Share URLs for a participant's referral link, as `shareLinksFor` takes it. */
export interface ShareLinksForInput {
  /** Your user id of the participant whose code the link carries. */
  userId: string;
  /** The page the link lands on, an absolute http(s) URL; its own query parameters are kept. */
  baseUrl: string;
  /** UTM parameters by name without `utm_` (`{ source: 'newsletter' }`); an unknown key is a ValidationError naming it. */
  utm?: Utm | undefined;
  /** Further query parameters to add, e.g. a campaign id of your own. */
  params?: Record<string, string> | undefined;
  /** Text that goes with the link (the post, the message, the e-mail body before the link), up to 1,000 characters. */
  text?: string | undefined;
  /** Subject of the e-mail, up to 200 characters. */
  subject?: string | undefined;
  /** Tag each network's link with `utm_source=<network>`; default false. */
  tagNetworks?: boolean | undefined;
}
