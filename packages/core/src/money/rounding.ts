/**
 * Rounding of money. Amounts are integers in minor units; rates are integers
 * in basis points (1 bp = 0.01 %). A computed amount is rounded exactly once
 * per commission line, with integer arithmetic (BigInt), so no float ever
 * touches an amount.
 *
 * - `half_even` (default, "banker's rounding"): a tie goes to the even
 *   neighbour, so ties do not drift upward over many lines. 25 @ 10 % = 2.5 → 2.
 * - `half_up`: a tie goes away from zero. 25 @ 10 % = 2.5 → 3.
 *
 * Negative amounts round by magnitude: round(-x) = -round(x).
 */
export const ROUNDING_MODES = ['half_even', 'half_up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** Basis points in 100 %. */
export const BPS_PER_UNIT = 10_000;

/** Rounds numerator / denominator (denominator > 0) to an integer. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twice = (n % denominator) * 2n;
  if (twice > denominator || (twice === denominator && (mode === 'half_up' || quotient % 2n === 1n))) quotient += 1n;
  return negative ? -quotient : quotient;
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} is outside the safe integer range`);
  }
  return Number(value);
}

/** `amount × rateBps / 10 000`, rounded once. `applyRate(4900, 3000)` → 1470. */
export function applyRate(amount: number, rateBps: number, mode: RoundingMode = 'half_even'): number {
  return toSafeNumber(divideRounded(BigInt(amount) * BigInt(rateBps), BigInt(BPS_PER_UNIT), mode));
}

/** `amount × part / whole`, rounded once (e.g. the share of a commission a partial refund reverses). */
export function proportion(amount: number, part: number, whole: number, mode: RoundingMode = 'half_even'): number {
  return toSafeNumber(divideRounded(BigInt(amount) * BigInt(part), BigInt(whole), mode));
}
