import type { CounterRecord, CounterRepository, Scope } from '@onehop/core';
import { Counters } from '../counters';
import type { Partition } from '../partition';
import type { Undo } from '../table';

/** The `counters` table of one partition. */
export function counterTable(): Counters {
  return new Counters();
}

/** The `counters` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function counterRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): CounterRepository {
  return {
    get: (scope, ownerId, name, period) => at(scope).counters.get(ownerId, name, period),
    add: (scope, ownerId, name, period, delta) => at(scope).counters.add(ownerId, name, period, delta, current.undo),
    addMany: (rows) => {
      for (const row of rows) at(row).counters.add(row.ownerId, row.name, row.period, row.value, current.undo);
    },
    listRange: (scope, ownerIds, name, from, to) =>
      ownerIds.flatMap((ownerId) =>
        [...(at(scope).counters.periods(name, ownerId) ?? [])]
          .filter(([period]) => period >= from && period <= to)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([period, value]): CounterRecord => ({ programId: scope.programId, mode: scope.mode, ownerId, name, period, value })),
      ),
    sum: (scope, ownerIds, names, from, to) => {
      const sums: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
      for (const ownerId of ownerIds) {
        for (const name of names) {
          for (const [period, value] of at(scope).counters.periods(name, ownerId) ?? []) {
            if (period >= from && period <= to) sums[name] = sums[name]! + value;
          }
        }
      }
      return sums;
    },
    // A scan of every counter with this name: fine for a development store;
    // the PostgreSQL store answers it from an index on (name, period).
    top: (scope, name, from, to, limit, excludeOwnerIds = []) => {
      const sums = new Map<string, number>();
      const excluded = new Set(excludeOwnerIds);
      for (const [ownerId, periods] of at(scope).counters.owners(name) ?? []) {
        if (excluded.has(ownerId)) continue;
        for (const [period, value] of periods) {
          if (period >= from && period <= to) sums.set(ownerId, (sums.get(ownerId) ?? 0) + value);
        }
      }
      return [...sums]
        .map(([ownerId, value]) => ({ ownerId, value }))
        .sort((a, b) => b.value - a.value || (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0))
        .slice(0, limit);
    },
  };
}
