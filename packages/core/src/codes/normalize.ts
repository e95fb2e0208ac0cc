/**
 * Normalises a referral code as typed or pasted by a person: trims, drops
 * every whitespace character and hyphen, and upper-cases. Lookups use the
 * normalised form everywhere, so `abcd-efgh`, ` AbCd EfGh ` and `ABCDEFGH`
 * are one code. Idempotent: `normalizeCode(normalizeCode(x)) === normalizeCode(x)`.
 */
export function normalizeCode(input: string): string {
  return input.replace(/[\s\-\u2010-\u2015\u2212]+/g, '').toUpperCase();
}
