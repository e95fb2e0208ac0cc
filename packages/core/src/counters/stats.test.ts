import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coveringRanges, monthOfDay } from './stats';

describe('coveringRanges', () => {
  it('reads month rows for covered months and day rows for the partial ends', () => {
    expect(coveringRanges('d:2026-03-01', 'd:2026-03-31', 'd:2026-06-01')).toEqual([['m:2026-03', 'm:2026-03']]);
    expect(coveringRanges('d:2026-03-15', 'd:2026-05-10', 'd:2026-06-01')).toEqual([
      ['d:2026-03-15', 'd:2026-03-31'],
      ['d:2026-05-01', 'd:2026-05-10'],
      ['m:2026-04', 'm:2026-04'],
    ]);
    expect(coveringRanges('d:2026-11-20', 'd:2027-02-28', 'd:2027-03-01')).toEqual([
      ['d:2026-11-20', 'd:2026-11-30'],
      ['m:2026-12', 'm:2027-02'],
    ]);
  });

  it('counts the current month as covered up to today: later days have no rows yet', () => {
    expect(coveringRanges('d:2026-11-01', 'd:2026-11-21', 'd:2026-11-21')).toEqual([['m:2026-11', 'm:2026-11']]);
    expect(coveringRanges('d:2026-11-01', 'd:2026-11-20', 'd:2026-11-21')).toEqual([['d:2026-11-01', 'd:2026-11-20']]);
  });

  it('sums to the same figure as the day rows, for any range and any history up to today', () => {
    const day = (n: number) => {
      const d = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
      return `d:${d.toISOString().slice(0, 10)}`;
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 400, maxLength: 400 }),
        fc.integer({ min: 0, max: 399 }),
        fc.integer({ min: 0, max: 399 }),
        fc.integer({ min: 0, max: 399 }),
        (values, a, b, t) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          // Rows exist for the days up to today (t), and month rows that sum them.
          const rows = new Map<string, number>();
          for (let i = 0; i <= t; i++) {
            rows.set(day(i), values[i]!);
            rows.set(monthOfDay(day(i)), (rows.get(monthOfDay(day(i))) ?? 0) + values[i]!);
          }
          let expected = 0;
          for (let i = lo; i <= Math.min(hi, t); i++) expected += values[i]!;
          let actual = 0;
          for (const [from, to] of coveringRanges(day(lo), day(hi), day(t))) {
            for (const [k, v] of rows) if (k >= from && k <= to) actual += v;
          }
          return actual === expected;
        },
      ),
    );
  });
});
