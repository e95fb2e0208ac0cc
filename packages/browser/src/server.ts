/**
 * The server side of referral capture, on Fetch-standard `Request` and
 * `Response`: read the referral the snippet stored (at sign-up, to call
 * `attribute`), and a click endpoint for the snippet's beacon. Works in Node,
 * Next.js route handlers and middleware, Hono, Web-standard runtimes, and
 * Express (pass `req.headers.cookie`). `readReferral` needs nothing but the
 * code rules: bundled alone it weighs about a kilobyte.
 *
 * @module @onehop/browser/server
 */

export type { ClickHandlerOptions } from './click-handler';
export { createClickHandler } from './click-handler';
export { DEFAULT_COOKIE_NAME, DEFAULT_WINDOW_DAYS } from './cookie';
export type { ReadReferralOptions, StoredReferral } from './read-referral';
export { readReferral } from './read-referral';
