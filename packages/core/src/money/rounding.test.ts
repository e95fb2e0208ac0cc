import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_EXAMPLES } from '../testing/rounding-examples';
import { applyRate, proportion } from './rounding';

describe('applyRate', () => {
  it.each(ROUNDING_EXAMPLES)('%i at %i bp (%s) = %i', (amount, bps, mode, expected) => {
    expect(applyRate(amount, bps, mode)).toBe(expected);
  });

  it('rounds negative amounts by magnitude', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('half_even' as const, 'half_up' as const), (a, bps, mode) => {
        expect(applyRate(-a, bps, mode)).toBe(0 - applyRate(a, bps, mode));
      }),
    );
  });

  it('is never more than half a unit from the exact value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 10_000 }), (a, bps) => {
        const exact = (a * bps) / 10_000;
        expect(Math.abs(applyRate(a, bps) - exact)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('keeps precision for amounts near the safe-integer limit', () => {
    expect(applyRate(9_007_199_254_740_991, 5000)).toBe(4_503_599_627_370_496);
    expect(() => applyRate(Number.MAX_SAFE_INTEGER, 20_000)).toThrow(RangeError);
  });
});

describe('proportion', () => {
  it('gives the whole amount for the whole part and nothing for none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 1e9 }), (c, p) => {
        expect(proportion(c, p, p)).toBe(c);
        expect(proportion(c, 0, p)).toBe(0);
      }),
    );
  });
});
