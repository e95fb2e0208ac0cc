/** Where the engine reads the time. Inject one in tests to control time. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: stands still until you move it. */
export interface ManualClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
  advanceDays(days: number): void;
}

export function createManualClock(start: Date | string = '2026-01-01T00:00:00.000Z'): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
    advanceDays: (days) => {
      current += days * 86_400_000;
    },
  };
}
