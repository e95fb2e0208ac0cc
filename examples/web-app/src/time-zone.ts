/**
 * Dates and times in the program's time zone (`ProgramConfig.timeZone`, the
 * zone onehop counts days, months and holding periods in), so what the admin
 * reads agrees with the engine's days. Intl only: no time-zone database here.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(at: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'timeZoneName', string> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return parts as ReturnType<typeof partsIn>;
}

/** `2026-12-02` as the day of `at` in `timeZone`. */
export function dateIn(at: Date, timeZone: string): string {
  const p = partsIn(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `2026-12-02 09:30 EST`: the local time of `at` in `timeZone`, with the zone's short name. */
export function dateTimeIn(at: Date, timeZone: string): string {
  const p = partsIn(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const p = partsIn(at, timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return wall - Math.floor(at.getTime() / 60_000) * 60_000;
}

/** The instant the day after the one containing `at` starts in `timeZone` (local midnight). */
export function startOfNextDayIn(at: Date, timeZone: string): Date {
  const [year, month, day] = dateIn(at, timeZone).split('-').map(Number) as [number, number, number];
  const midnight = Date.UTC(year, month - 1, day + 1);
  // Local midnight is UTC midnight less the offset then; a second look settles a change of offset that day.
  const guess = midnight - offsetAt(new Date(midnight), timeZone);
  return new Date(midnight - offsetAt(new Date(guess), timeZone));
}
