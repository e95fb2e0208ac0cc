/**
 * Every code a program can hold, after normalisation: generated codes (upper-case
 * letters and digits, 6 to 32 long) and vanity codes (letters, digits and `_`,
 * 3 to 32 long; see `VANITY_CODE_PATTERN` and its lengths). Anything else
 * cannot be a code, so the browser snippet and the server helpers drop it
 * before it is stored or looked up. A regular expression, so browser code can
 * carry it in a few bytes.
 */
export const CODE_PATTERN = /^[A-Z0-9_]{3,32}$/;

/** Whether a normalised code fits `pattern` (default `CODE_PATTERN`). */
export function matchesCodeFormat(code: string, pattern: RegExp = CODE_PATTERN): boolean {
  return pattern.test(code);
}
