/**
 * The server side of referral capture, on Fetch-standard `Request` and
 * `Response`: read the referral the snippet stored (at sign-up, to call
 * `attribute`), and a click endpoint for the snippet's beacon. Works in Node,
 * Next.js route handlers, Hono, and Express (pass `req.headers.cookie`).
 *
 * @module @onehop/browser/server
 */
import { CODE_PATTERN, isOnehopError, normalizeCode, type Onehop, recordClickInputSchema } from '@onehop/core';
import { COOKIE_NAME_PATTERN, cookieValue, cutSource, DEFAULT_COOKIE_NAME, MAX_SOURCE_LENGTH } from './cookie';

export { DEFAULT_COOKIE_NAME, DEFAULT_WINDOW_DAYS } from './cookie';

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

export interface ClickHandlerOptions {
  /**
   * The visitor's IP address for this request, or null when unknown. It is
   * hashed with the program's `privacy.hashKey` and counted by the
   * click-velocity rule. Take it from your platform (Node's socket address,
   * Hono's `getConnInfo`) or from the `X-Forwarded-For` entry your own proxy
   * appended, never from a header the visitor controls.
   */
  ip: (request: Request) => string | null | undefined;
  /** What a code may look like. Default `CODE_PATTERN`: every code a program can hold. */
  pattern?: RegExp;
}

/** Largest click body read; the snippet's is a few hundred bytes. */
const MAX_BODY = 4096;

const empty = (status: number) => new Response(null, { status });
const problem = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ code, message }), { status, headers: { 'content-type': 'application/json' } });

/**
 * A click endpoint for the snippet's beacon: `POST` with a JSON body
 * `{ code, url?, source? }` (sent as text/plain, so no CORS preflight).
 * Answers 204 when the click is recorded or ignored (an unknown code), 429
 * when the click-velocity rule refuses the address, 400 for a body that is
 * not a click, 405 for other methods. Needs `privacy.hashKey` in the program.
 */
export function createClickHandler(onehop: Onehop, options: ClickHandlerOptions): (request: Request) => Promise<Response> {
  if (onehop.program.privacy.hashKey === undefined) {
    throw new TypeError('createClickHandler needs the program’s privacy.hashKey: clicks are counted by the keyed hash of the visitor’s IP address.');
  }
  const pattern = options.pattern ?? CODE_PATTERN;
  return async (request) => {
    if (request.method !== 'POST') return empty(405);
    const text = await request.text();
    if (text.length > MAX_BODY) return problem(400, 'CLICK_TOO_LARGE', `A click body is at most ${MAX_BODY} characters.`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return problem(400, 'CLICK_NOT_JSON', 'Send the click as JSON: { "code": "…", "url": "…", "source": "…" }.');
    }
    const { code, url, source } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const normalized = typeof code === 'string' ? normalizeCode(code) : '';
    if (!pattern.test(normalized)) return problem(400, 'CLICK_CODE_INVALID', 'The click names no valid referral code.');
    // A landing URL the engine would refuse is dropped (checked with the engine's own schema), not fatal: the click still counts.
    const landingUrl = recordClickInputSchema.shape.landingUrl.safeParse(url).data;
    const channel = typeof source === 'string' && source.trim() !== '' ? cutSource(source.trim()) : undefined;
    const ip = options.ip(request) ?? undefined;
    try {
      const result = await onehop.recordClick({ code: normalized, landingUrl, source: channel, ip });
      return result.status === 'refused' ? problem(429, result.reason, result.message) : empty(204);
    } catch (error) {
      if (isOnehopError(error) && error.code === 'VALIDATION_FAILED') return problem(400, error.code, error.message);
      throw error;
    }
  };
}
