import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal payloads give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/**
 * SHA-256 of the canonical JSON of an event's payload. Synchronous
 * `node:crypto` (Node, Deno, Bun and edge runtimes with Node compatibility):
 * Web Crypto's digest is asynchronous and runs on the thread pool, which
 * costs more than the hash on the hot path of every purchase.
 */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}
