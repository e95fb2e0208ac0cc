import { createHmac } from 'node:crypto';
import type { FingerprintKind } from '../store/records';

/**
 * The keyed hash under which an IP address, device id or payment fingerprint
 * is stored: HMAC-SHA-256 with the program's secret `privacy.hashKey`, over
 * the kind and the normalised value. Equal values match; without the key a
 * leaked table cannot be reversed by hashing every IPv4 address.
 */
export function keyedHash(key: string, kind: FingerprintKind, value: string): string {
  return createHmac('sha256', key).update(`${kind}\u0000${normalizeSignal(kind, value)}`).digest('hex');
}

/** IPs and device ids compare case-insensitively and without surrounding space; an IPv4-mapped IPv6 address is its IPv4 address. */
function normalizeSignal(kind: FingerprintKind, value: string): string {
  const v = value.trim().toLowerCase();
  if (kind === 'ip' && v.startsWith('::ffff:') && v.includes('.')) return v.slice(7);
  return v;
}
