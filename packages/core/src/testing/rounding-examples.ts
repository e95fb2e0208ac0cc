import type { RoundingMode } from '@onehop/core';

/** One worked example: an amount in minor units at a rate in basis points, rounded by a mode, gives `expected`. */
export type RoundingExample = readonly [amount: number, rateBps: number, mode: RoundingMode, expected: number];

/**
 * The worked rounding examples, kept in this one place: `money/rounding.test.ts`
 * checks `applyRate` against every one of them, and the money suite checks
 * that a percentage commission line on each positive amount comes out the same
 * on every store (a line is rounded once).
 */
export const ROUNDING_EXAMPLES: readonly RoundingExample[] = [
  [1000, 2000, 'half_even', 200],
  [7, 2000, 'half_even', 1],
  [3, 2000, 'half_even', 1],
  [15, 1000, 'half_even', 2],
  [25, 1000, 'half_even', 2],
  [25, 1000, 'half_up', 3],
  [35, 1000, 'half_even', 4],
  [4900, 3000, 'half_even', 1470],
  [-25, 1000, 'half_even', -2],
  [-25, 1000, 'half_up', -3],
  [-7, 2000, 'half_even', -1],
];
