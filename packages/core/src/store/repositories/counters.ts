import type { Awaitable } from '../reads';
import type { CounterRecord, Scope } from '../records';

export interface CounterRepository {
  /** The counter's value, 0 when it was never added to. */
  get(scope: Scope, ownerId: string, name: string, period: string): Awaitable<number>;
  /** Adds `delta` and returns the new value. */
  add(scope: Scope, ownerId: string, name: string, period: string, delta: number): Awaitable<number>;
  /**
   * Adds each row's `value` to its counter (a missing counter starts at 0), in
   * one write. The rows name distinct counters and come sorted by key, so
   * concurrent calls lock shared counters in the same order.
   */
  addMany(rows: CounterRecord[]): Awaitable<void>;
  /** The counters of these owners named `name` whose period is within [from, to] (string order), by owner, then period. */
  listRange(scope: Scope, ownerIds: string[], name: string, from: string, to: string): Awaitable<CounterRecord[]>;
  /** The sums of the counters named `names` of these owners over the periods within [from, to], by name (0 for a name without rows). */
  sum(scope: Scope, ownerIds: string[], names: string[], from: string, to: string): Awaitable<Record<string, number>>;
  /**
   * The owners with the largest sums of counter `name` over the periods within
   * [from, to], largest first (ties by owner id), at most `limit`, leaving out
   * the owners in `excludeOwnerIds`, and only those: which owners a list
   * leaves out (the program-wide totals) is the engine's rule, not the store's.
   */
  top(scope: Scope, name: string, from: string, to: string, limit: number, excludeOwnerIds?: readonly string[]): Awaitable<{ ownerId: string; value: number }[]>;
}
