import type { Undo } from './table';

/**
 * The counters of one partition: name → owner → period → value. Counters are
 * the rows the engine writes most (about ten per purchase), so they are kept
 * as plain numbers in nested maps: adding to one is three lookups by strings
 * the engine already holds and one write, with no row object and no key
 * string built. The nesting is also the index the reads need: one owner's
 * periods of a name (`listRange`, `sum`), and every owner of a name (`top`).
 */
export class Counters {
  private readonly byName = new Map<string, Map<string, Map<string, number>>>();

  get(ownerId: string, name: string, period: string): number {
    return this.byName.get(name)?.get(ownerId)?.get(period) ?? 0;
  }

  /** Adds `delta` and returns the new value; the undo log gets the way back. */
  add(ownerId: string, name: string, period: string, delta: number, undo: Undo[]): number {
    let owners = this.byName.get(name);
    if (owners === undefined) this.byName.set(name, (owners = new Map()));
    let periods = owners.get(ownerId);
    if (periods === undefined) owners.set(ownerId, (periods = new Map()));
    const previous = periods.get(period);
    const value = (previous ?? 0) + delta;
    periods.set(period, value);
    const row = periods;
    if (previous === undefined) undo.push(() => row.delete(period));
    else undo.push(() => row.set(period, previous));
    return value;
  }

  /** One owner's periods of a counter, in the order they were first written. */
  periods(name: string, ownerId: string): ReadonlyMap<string, number> | undefined {
    return this.byName.get(name)?.get(ownerId);
  }

  /** Every owner's periods of a counter. */
  owners(name: string): ReadonlyMap<string, ReadonlyMap<string, number>> | undefined {
    return this.byName.get(name);
  }
}
