/**
 * SHA-256 and HMAC-SHA-256 for runtimes without `node:crypto` (Vercel Edge,
 * Cloudflare Workers without Node compatibility, browsers): Web Crypto offers
 * them only asynchronously, and the engine's hashes are synchronous. They come
 * from `@noble/hashes` (audited, dependency-free, synchronous on every
 * runtime). Where Node's crypto is available it is used instead
 * (`crypto/hashes.ts`); a property test holds the two equal.
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';

/** SHA-256 of `data`: 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** HMAC-SHA-256 of `data` under `key`: 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, data);
}
