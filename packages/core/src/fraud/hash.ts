import { hmacSha256Hex } from '../crypto/hashes';
import type { FingerprintKind } from '../store/records';
import { canonicalIp } from './ip-address';

/** How much of an IPv6 address identifies a visitor: the prefix length its hash is taken over (see `fraud.ipv6PrefixLength`). */
export const DEFAULT_IPV6_PREFIX_LENGTH = 64;

export interface KeyedHashOptions {
  /** The prefix length an IPv6 address is masked to before hashing. Default 64, as in the program's fraud configuration. */
  ipv6PrefixLength?: number;
}

/**
 * The keyed hash under which an IP address, device id or payment fingerprint
 * is stored: HMAC-SHA-256 with the program's secret `privacy.hashKey`, over
 * the kind and the normalised value. Equal values match; without the key a
 * leaked table cannot be reversed by hashing every IPv4 address. An IP
 * address is hashed in its canonical form (`canonicalIp`): an IPv6 address
 * masked to its first `ipv6PrefixLength` bits, so the addresses one host
 * rotates through within its /64 share one hash.
 */
export function keyedHash(key: string, kind: FingerprintKind, value: string, options: KeyedHashOptions = {}): string {
  return hmacSha256Hex(key, `${kind}\u0000${normalizeSignal(kind, value, options)}`);
}

/** Device ids and payment fingerprints compare case-insensitively and without surrounding space; IPs in their canonical form. */
function normalizeSignal(kind: FingerprintKind, value: string, options: KeyedHashOptions): string {
  if (kind === 'ip') return canonicalIp(value, options.ipv6PrefixLength ?? DEFAULT_IPV6_PREFIX_LENGTH);
  return value.trim().toLowerCase();
}
