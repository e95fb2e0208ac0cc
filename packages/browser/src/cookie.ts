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

/**
 * A landing source cut to `MAX_SOURCE_LENGTH` UTF-16 code units, one fewer
 * when the cut would split a surrogate pair (an emoji): half a pair cannot be
 * URI-encoded (`encodeURIComponent` throws) nor stored as UTF-8.
 */
export const cutSource = (source: string): string => source.slice(0, MAX_SOURCE_LENGTH).replace(/[\ud800-\udbff]$/, '');

/** What a cookie name may be: the snippet builds a regular expression from it. */
export const COOKIE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The raw value of cookie `name` (see `COOKIE_NAME_PATTERN`) in a `Cookie` header or `document.cookie`, or undefined. */
export const cookieValue = (header: string, name: string): string | undefined => header.match(`(?:^|;)\\s*${name}=([^;]*)`)?.[1];
