/**
 * A deep copy of a stored row: plain objects, arrays, Dates and primitives,
 * which is all a row holds. Several times faster than structuredClone on
 * these small rows, and the memory store copies every row it stores or returns.
 */
export function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = copy((value as Record<string, unknown>)[k]);
  return out as T;
}
