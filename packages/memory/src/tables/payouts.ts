import type { PayoutRecord, PayoutRepository, Scope } from '@onehop/core';
import { OPEN_PAYOUT_STATUSES, UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `payouts` table of one partition. */
export function payoutsTable(): Table<PayoutRecord> {
  return new Table<PayoutRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.payoutId,
    copy: COPIES.payout,
    uniques: [{ name: UNIQUE_CONSTRAINTS.payoutOpen, key: (r) => (OPEN_PAYOUT_STATUSES.includes(r.status) ? r.userId : null) }],
    groups: { user: (r) => r.userId, status: (r) => r.status },
    indexedFields: ['id', 'status', 'userId'],
  });
}

/** The `payouts` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function payoutRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): PayoutRepository {
  return {
    insert: (row) => at(row).payouts.insert(row, current.undo),
    get: (scope, id) => at(scope).payouts.get(id),
    getOpen: (scope, userId) => at(scope).payouts.getByUnique(UNIQUE_CONSTRAINTS.payoutOpen, userId),
    listByUser: (scope, userId, page) => at(scope).payouts.group('user', userId).slice(0, page.limit),
    listByStatus: (scope, status, page) => pageOf(at(scope).payouts, at(scope).payouts.groupKeys('status', status), page),
    update: (scope, id, patch) => {
      at(scope).payouts.update(id, patch, current.undo);
    },
  };
}
