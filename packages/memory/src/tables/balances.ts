import type { BalanceRecord, BalanceRepository, Bucket, Scope } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `balances` table of one partition. */
export function balancesTable(): Table<BalanceRecord> {
  return new Table<BalanceRecord>({ key: (r) => r.accountId, name: 'balance_account', copy: COPIES.balance, indexedFields: ['accountId'] });
}

/** The `balances` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function balanceRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): BalanceRepository {
  return {
    get: (scope, accountId) => at(scope).balances.get(accountId),
    listWithdrawable: (scope, page) => {
      // A scan of every balance: fine for a development store; PostgreSQL answers from an index.
      const table = at(scope).balances;
      const minimum = Math.max(page.minimum, 1);
      return table
        .keys()
        .filter((pk) => (page.after === undefined || pk > page.after) && table.peek(pk)!.withdrawable >= minimum)
        .sort()
        .slice(0, page.limit)
        .map((pk) => table.get(pk)!);
    },
    add: (scope, accountId, deltas, updatedAt) => {
      const balances = at(scope).balances;
      const existing = balances.peek(accountId);
      const base = existing ?? { programId: scope.programId, mode: scope.mode, accountId, pending: 0, on_hold: 0, withdrawable: 0, requested: 0, paid: 0, updatedAt };
      const next: BalanceRecord = { ...base, updatedAt };
      for (const [bucket, delta] of Object.entries(deltas) as [Bucket, number][]) next[bucket] = base[bucket] + delta;
      if (existing) balances.update(accountId, next, current.undo);
      else balances.insert(next, current.undo);
    },
  };
}
