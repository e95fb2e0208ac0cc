/**
 * The click endpoint for the snippet's beacon, on Fetch-standard `Request`
 * and `Response`. It uses no API of Node's: it runs wherever the engine it is
 * given runs.
 */

import { isOnehopError, type Onehop, recordClickInputSchema } from '@onehop/core';
import { CODE_PATTERN, normalizeCode } from '@onehop/core/codes';
import { cutSource } from './cookie';

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
