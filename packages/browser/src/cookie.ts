/**
 * The capture cookie's value, shared by the snippet (which writes it) and the
 * server helpers (which read it): `CODE.FIRSTSEEN.SOURCE`, where CODE is the
 * normalised code, FIRSTSEEN the first-seen time in milliseconds in base 36,
 * and SOURCE the URI-encoded landing source (empty when there was none).
 */

/** The cookie's default name. */
export const DEFAULT_COOKIE_NAME = 'onehop_ref';

/** The cookie's default lifetime, the attribution window of a program's default configuration. */
export const DEFAULT_WINDOW_DAYS = 60;

/** Longest landing source kept, as the engine accepts it. */
export const MAX_SOURCE_LENGTH = 100;

/** What a cookie name may be: the snippet builds a regular expression from it. */
export const COOKIE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The raw value of cookie `name` (see `COOKIE_NAME_PATTERN`) in a `Cookie` header or `document.cookie`, or undefined. */
export function cookieValue(header: string, name: string): string | undefined {
  return header.match(`(?:^|;)\\s*${name}=([^;]*)`)?.[1];
}
