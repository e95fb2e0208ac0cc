import { TZDate } from '@date-fns/tz';
import * as dateFns from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, startOfDay, startOfISOWeek, startOfMonth, startOfQuarter, startOfYear } from './calendar';

// Periods, counter days and dashboard buckets are cut by these: they must stay exactly what date-fns computed, DST days included.
describe('calendar arithmetic in a time zone', () => {
  it('equals date-fns for any instant, zone and amount (property)', () => {
    const zones = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Apia');
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), zones, fc.integer({ min: -40, max: 40 }), (at, zone, n) => {
        const local = () => new TZDate(at.getTime(), zone);
        const same = (mine: TZDate, theirs: Date) => expect(mine.getTime()).toBe(theirs.getTime());
        same(addDays(local(), n), dateFns.addDays(local(), n));
        same(addMonths(local(), n), dateFns.addMonths(local(), n));
        same(startOfDay(local()), dateFns.startOfDay(local()));
        same(startOfMonth(local()), dateFns.startOfMonth(local()));
        same(startOfQuarter(local()), dateFns.startOfQuarter(local()));
        same(startOfYear(local()), dateFns.startOfYear(local()));
        same(startOfISOWeek(local()), dateFns.startOfISOWeek(local()));
        const before = local();
        addMonths(before, n);
        expect(before.getTime()).toBe(at.getTime());
      }),
      { numRuns: 1000 },
    );
  });
});
