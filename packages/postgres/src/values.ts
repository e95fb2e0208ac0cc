import { IntegrityViolationError } from '@onehop/core';

/**
 * An int8 column as a JavaScript number. node-postgres returns int8 as a
 * string and PGlite as a bigint; either way a value outside the safe integer
 * range throws instead of being silently rounded.
 */
export function int(value: unknown, column: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' || typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || (typeof value !== 'number' && BigInt(n) !== BigInt(value as string | bigint))) {
    throw new IntegrityViolationError(`${column}_range`, `${column} holds ${String(value)}, which is not an integer JavaScript can hold exactly`);
  }
  return n;
}

/** A timestamptz column, or null. */
export function date(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : date(value);
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A jsonb column: already parsed by both drivers; a string is parsed here. */
export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
