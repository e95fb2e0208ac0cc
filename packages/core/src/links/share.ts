import * as z from 'zod';
import { ValidationError } from '../errors/errors';

/** The networks `shareLinks` builds a URL for. */
export const SHARE_NETWORKS = ['email', 'x', 'facebook', 'linkedin', 'whatsapp', 'telegram'] as const;
export type ShareNetwork = (typeof SHARE_NETWORKS)[number];

export const shareLinksInputSchema = z
  .object({
    /** The referral link to share, absolute http(s) URL; its query parameters (code, UTM) are kept as they are. */
    link: z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' }),
    /** Text that goes with the link (the tweet, the message, the e-mail body before the link). */
    text: z.string().max(1000).optional(),
    /** Subject of the e-mail. */
    subject: z.string().max(200).optional(),
    /**
     * Tag each network's link with `utm_source=<network>` (and `utm_medium`
     * `email` or `social`), so the dashboard's channels tell them apart.
     * UTM parameters already on the link win.
     */
    tagNetworks: z.boolean().default(false),
  })
  .strict();

/** A referral link to share, as `shareLinks` takes it. */
export interface ShareLinksInput {
  /** The referral link to share, absolute http(s) URL; its query parameters (code, UTM) are kept as they are. */
  link: string;
  /** Text that goes with the link (the tweet, the message, the e-mail body before the link), up to 1,000 characters. */
  text?: string | undefined;
  /** Subject of the e-mail, up to 200 characters. */
  subject?: string | undefined;
  /**
   * Tag each network's link with `utm_source=<network>` (and `utm_medium`
   * `email` or `social`), so the dashboard's channels tell them apart.
   * UTM parameters already on the link win. Default false.
   */
  tagNetworks?: boolean | undefined;
}

/**
 * Share URLs for a referral link, one per network: a `mailto:` link and the
 * share endpoints of X, Facebook, LinkedIn, WhatsApp and Telegram. The
 * referral link goes in URL-encoded, so its own parameters (`ref`, UTM,
 * yours) arrive intact.
 */
export function shareLinks(input: ShareLinksInput): Record<ShareNetwork, string> {
  const parsed = shareLinksInputSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { link, text, subject, tagNetworks } = parsed.data;
  const linkFor = (network: ShareNetwork): string => {
    if (!tagNetworks) return link;
    const url = new URL(link);
    if (!url.searchParams.has('utm_source')) url.searchParams.set('utm_source', network);
    if (!url.searchParams.has('utm_medium')) url.searchParams.set('utm_medium', network === 'email' ? 'email' : 'social');
    return url.toString();
  };
  const q = (params: Record<string, string | undefined>): string => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
    // URLSearchParams writes spaces as '+', which mail clients show literally; %20 is read everywhere.
    return search.toString().replace(/\+/g, '%20');
  };
  const withText = (l: string) => (text ? `${text} ${l}` : l);
  return {
    email: `mailto:?${q({ subject, body: withText(linkFor('email')) })}`,
    x: `https://x.com/intent/post?${q({ text, url: linkFor('x') })}`,
    facebook: `https://www.facebook.com/sharer/sharer.php?${q({ u: linkFor('facebook') })}`,
    linkedin: `https://www.linkedin.com/sharing/share-offsite/?${q({ url: linkFor('linkedin') })}`,
    whatsapp: `https://wa.me/?${q({ text: withText(linkFor('whatsapp')) })}`,
    telegram: `https://t.me/share/url?${q({ url: linkFor('telegram'), text })}`,
  };
}
