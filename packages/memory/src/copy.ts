/**
 * A deep copy of a stored row: plain objects, arrays, Dates and primitives,
 * which is all a row holds. The memory store copies every row it stores or
 * returns, so this is on every call's path: a spread clones an object with
 * its hidden class in one step, then only the nested objects (Dates, JSON
 * values) are replaced. Several times faster than structuredClone, and about
 * three times faster than rebuilding each object key by key.
 */
export function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k in out) {
    const v = out[k];
    if (v !== null && typeof v === 'object') out[k] = copy(v);
  }
  return out as T;
}
