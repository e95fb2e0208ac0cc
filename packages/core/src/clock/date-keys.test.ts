import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateKey, monthKey, quarterKey, yearKey } from './date-keys';

// Counters are stored under these keys: they must stay exactly what date-fns' format wrote.
describe('calendar keys', () => {
  it('equal date-fns format in any time zone, for any instant (property)', () => {
    const zones = fc.constantFrom('UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago');
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), zones, (at, zone) => {
        const local = new TZDate(at.getTime(), zone);
        expect([dateKey(local), monthKey(local), quarterKey(local), yearKey(local)]).toEqual([
          format(local, 'yyyy-MM-dd'),
          format(local, 'yyyy-MM'),
          format(local, "yyyy-'Q'Q"),
          format(local, 'yyyy'),
        ]);
      }),
      { numRuns: 500 },
    );
  });
});
