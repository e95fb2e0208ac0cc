/**
 * Reading the referral the snippet stored, at sign-up. It depends only on the
 * code rules (`@onehop/core/codes`) and the cookie format, so it runs and
 * bundles small wherever the cookie is read: Next.js middleware, Vercel Edge,
 * Cloudflare Workers, Deno, Bun and Node.
 */
import { CODE_PATTERN, normalizeCode } from '@onehop/core/codes';
import { COOKIE_NAME_PATTERN, cookieValue, DEFAULT_COOKIE_NAME, MAX_SOURCE_LENGTH } from './cookie';

/** The referral the snippet stored, validated. */
export interface StoredReferral {
  /** The normalised code. */
  code: string;
  /** When the visitor first arrived through the link: pass it to `attribute` as `clickedAt`. */
  firstSeenAt: Date;
  /** The landing `utm_source`, or null: pass it to `attribute` as `source`. */
  source: string | null;
}

export interface ReadReferralOptions {
  /** Cookie name, as given to the snippet. Default `onehop_ref`. */
  cookie?: string;
  /** What a code may look like, as given to the snippet. Default `CODE_PATTERN`: every code a program can hold. */
  pattern?: RegExp;
  /** The time to compare the first-seen time with. Default now. */
  now?: Date;
}

/** Clock skew tolerated between the visitor's browser and the server. */
const SKEW_MS = 5 * 60_000;

/**
 * Reads the referral from a `Request`, a `Headers`, or a raw `Cookie` header.
 * Returns null when there is none or it is not valid: a code that is not a
 * possible code, a first-seen time in the future or not a time, a source too
 * long. The code still has to exist: `attribute` checks that, and the window.
 */
export function readReferral(from: Request | Headers | string | null | undefined, options: ReadReferralOptions = {}): StoredReferral | null {
  const header = typeof from === 'string' ? from : from instanceof Headers ? from.get('cookie') : (from?.headers.get('cookie') ?? null);
  const name = options.cookie ?? DEFAULT_COOKIE_NAME;
  if (!COOKIE_NAME_PATTERN.test(name)) throw new TypeError(`cookie must match ${String(COOKIE_NAME_PATTERN)}`);
  const value = header ? cookieValue(header, name) : undefined;
  if (!value) return null;
  const [rawCode = '', rawTime = '', ...rest] = value.split('.');
  const code = normalizeCode(rawCode);
  if (!(options.pattern ?? CODE_PATTERN).test(code) || !/^[0-9a-z]{1,11}$/.test(rawTime)) return null;
  const firstSeenAt = new Date(parseInt(rawTime, 36));
  // Not after now (with the skew), and a time at all: 11 base-36 digits can name one past the last valid date.
  if (!(firstSeenAt.getTime() <= (options.now ?? new Date()).getTime() + SKEW_MS)) return null;
  let source: string | null = null;
  try {
    source = decodeURIComponent(rest.join('.')).trim() || null;
  } catch {
    return null;
  }
  if (source !== null && source.length > MAX_SOURCE_LENGTH) return null;
  return { code, firstSeenAt, source };
}
