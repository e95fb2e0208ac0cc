/** JSON with object keys sorted, so equal payloads give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 (Web Crypto) of the canonical JSON of an event's payload. */
export async function payloadHash(payload: unknown): Promise<string> {
  const data = new TextEncoder().encode(canonicalJson(payload));
  return hex(await globalThis.crypto.subtle.digest('SHA-256', data));
}
