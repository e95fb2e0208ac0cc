import { normalizeCode } from '../codes/normalize';
import { constantTimeEqual, hmacSha256, toBase64Url } from '../crypto/hashes';
import { ValidationError } from '../errors/errors';

/** Query parameters of a signed link: its expiry (Unix seconds) and the signature. */
export const SIGNED_LINK_PARAMETERS = { expires: 'exp', signature: 'sig' } as const;

/** Why a signed link was refused. */
export type LinkRefusal = 'LINK_UNSIGNED' | 'LINK_TAMPERED' | 'LINK_EXPIRED';

export type LinkVerification = { ok: true; code: string; expiresAt: Date } | { ok: false; reason: LinkRefusal; message: string };

/**
 * The signature of (program, code, expiry): HMAC-SHA-256 with the program's
 * link secret, first 16 bytes, base64url. The program id is in it, so a link
 * of one program never passes in another.
 */
export function linkSignature(secret: string, programId: string, code: string, expiresAtSeconds: number): string {
  return toBase64Url(hmacSha256(secret, `onehop-link-v1\n${programId}\n${code}\n${expiresAtSeconds}`).subarray(0, 16));
}

/** Adds `exp` and `sig` to a referral link that carries `code` under `parameter`. */
export function signLink(link: string, secret: string, programId: string, parameter: string, expiresAt: Date): string {
  const url = new URL(link);
  const code = normalizeCode(url.searchParams.get(parameter) ?? '');
  if (code === '') throw new ValidationError([{ field: 'link', message: `carries no code under "${parameter}"` }]);
  const exp = Math.floor(expiresAt.getTime() / 1000);
  url.searchParams.set(SIGNED_LINK_PARAMETERS.expires, String(exp));
  url.searchParams.set(SIGNED_LINK_PARAMETERS.signature, linkSignature(secret, programId, code, exp));
  return url.toString();
}

/**
 * Checks a signed link: its signature must match its code and expiry (any
 * change to either, or a signature from another secret or program, is
 * `LINK_TAMPERED`), and `now` must be before the expiry (`LINK_EXPIRED`).
 * A link without `exp` and `sig` is `LINK_UNSIGNED`. Other parameters (UTM)
 * are not signed: anyone may retag a link.
 */
export function verifyLink(link: string | URL, secret: string, programId: string, parameter: string, now: Date): LinkVerification {
  let url: URL;
  try {
    url = typeof link === 'string' ? new URL(link) : link;
  } catch {
    throw new ValidationError([{ field: 'link', message: 'must be an absolute URL' }]);
  }
  const code = normalizeCode(url.searchParams.get(parameter) ?? '');
  const exp = url.searchParams.get(SIGNED_LINK_PARAMETERS.expires);
  const sig = url.searchParams.get(SIGNED_LINK_PARAMETERS.signature);
  if (exp === null || sig === null) return { ok: false, reason: 'LINK_UNSIGNED', message: 'The link carries no signature; this program accepts signed links only.' };
  const seconds = /^\d{1,12}$/.test(exp) ? Number(exp) : NaN;
  const expected = Number.isNaN(seconds) || code === '' ? '' : linkSignature(secret, programId, code, seconds);
  if (expected.length === 0 || !constantTimeEqual(sig, expected)) {
    return { ok: false, reason: 'LINK_TAMPERED', message: 'The link was changed after it was signed (code, expiry or signature), or signed for another program.' };
  }
  const expiresAt = new Date(seconds * 1000);
  if (now.getTime() >= expiresAt.getTime()) {
    return { ok: false, reason: 'LINK_EXPIRED', message: `The link expired at ${expiresAt.toISOString()}.` };
  }
  return { ok: true, code, expiresAt };
}
