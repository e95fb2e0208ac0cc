import type { Bucket, LedgerEntryRecord, LedgerRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { historyOf, within } from '../paging';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `ledger` table of one partition. */
export function ledgerTable(): Table<LedgerEntryRecord> {
  return new Table<LedgerEntryRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.ledgerEntryId,
    copy: COPIES.ledger,
    groups: { account: (r) => r.accountId },
  });
}

/** The `ledger` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function ledgerRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): LedgerRepository {
  return {
    append: (rows) => {
      for (const row of rows) at(row).ledger.insert(row, current.undo);
    },
    listByAccount: (scope, accountId, page) => historyOf(at(scope).ledger, at(scope).ledger.groupKeys('account', accountId), page, (e) => within(e.at, page)),
    sumSince: (scope, accountId, since) => {
      const sums: Partial<Record<Bucket, number>> = {};
      for (const pk of at(scope).ledger.groupKeys('account', accountId)) {
        const e = at(scope).ledger.peek(pk)!;
        if (e.at.getTime() >= since.getTime()) sums[e.bucket] = (sums[e.bucket] ?? 0) + e.amount;
      }
      return sums;
    },
  };
}
