import { describe, expect, it } from 'vitest';
import { copy } from './copy';

describe('copy', () => {
  it('copies rows deeply, Dates included', () => {
    const row = { a: 1, at: new Date('2026-01-01T00:00:00Z'), nested: { list: [1, { x: 'y' }], none: null }, missing: undefined };
    const copied = copy(row);
    expect(copied).toEqual(row);
    copied.nested.list.push(2);
    (copied.nested.list[1] as { x: string }).x = 'changed';
    copied.at.setFullYear(2000);
    expect(row.nested.list).toEqual([1, { x: 'y' }]);
    expect(row.at.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
