/**
 * Referral capture for the landing page, as an ES module for bundlers. The
 * same code ships as `@onehop/browser/onehop.min.js` for a `<script>` tag, and
 * the server side is `@onehop/browser/server`.
 *
 * ```ts
 * import { captureReferral } from '@onehop/browser';
 * const capture = captureReferral({ beacon: '/api/onehop/click' });
 * ```
 *
 * @module @onehop/browser
 */

export type { Capture, CaptureOptions } from './capture';
export { captureReferral } from './capture';
export { DEFAULT_COOKIE_NAME, DEFAULT_WINDOW_DAYS } from './cookie';
