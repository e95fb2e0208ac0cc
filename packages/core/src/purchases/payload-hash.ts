import { sha256Hex } from '../crypto/hashes';

/**
 * JSON with object keys sorted, so equal payloads give equal strings. The
 * output is exactly `JSON.stringify` with every object's keys sorted (see
 * `sortedKeys`) (the
 * stored payload hashes depend on it; a property test holds the two equal),
 * written out directly because it runs on every purchase, refund and
 * chargeback and a sorting replacer rebuilds every object.
 */
export function canonicalJson(value: unknown): string | undefined {
  let v = value;
  // A Date as Date's toJSON writes it (ISO text; null when invalid), without going through toJSON's generic path.
  if (v instanceof Date) v = Number.isNaN(v.getTime()) ? null : v.toISOString();
  else if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify does
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + (canonicalJson(v[i]) ?? 'null');
    return out + ']';
  }
  const record = v as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = '{';
  for (const key of keys) {
    const written = canonicalJson(record[key]);
    if (written === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + written;
  }
  return out + '}';
}

/**
 * An object's keys as the sorting replacer left them: integer-like keys
 * (array indices) first in ascending order, as JavaScript always orders them,
 * then every other key sorted by UTF-16 code units.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices]!)) indices++;
  if (indices === 0) return keys.sort();
  return keys.slice(0, indices).concat(keys.slice(indices).sort());
}

function isArrayIndex(key: string): boolean {
  const n = Number(key);
  return n >>> 0 === n && n !== 4294967295 && String(n) === key;
}

/**
 * SHA-256 of the canonical JSON of an event's payload, synchronous on every
 * runtime (`crypto/hashes.ts`): Web Crypto's digest is asynchronous and runs
 * on the thread pool, which costs more than the hash on the hot path of
 * every purchase.
 */
export function payloadHash(payload: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(payload)!);
}
