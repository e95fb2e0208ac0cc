import type { PayoutRecord, PayoutRepository, Scope } from '@onehop/core';
import { OPEN_PAYOUT_STATUSES, UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { key, Table, type Undo } from '../table';

/** The `payouts` table of one partition. */
export function payoutsTable(): Table<PayoutRecord> {
  return new Table<PayoutRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.payoutId,
    copy: COPIES.payout,
    uniques: [
      { name: UNIQUE_CONSTRAINTS.payoutOpen, key: (r) => (OPEN_PAYOUT_STATUSES.includes(r.status) ? r.userId : null) },
      { name: UNIQUE_CONSTRAINTS.payoutRunPayee, key: (r) => (r.runId === null ? null : key(r.runId, r.userId)) },
    ],
    groups: { user: (r) => r.userId, status: (r) => r.status, run: (r) => r.runId },
    indexedFields: ['id', 'status', 'userId', 'runId'],
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
    getByRun: (scope, runId, userId) => at(scope).payouts.getByUnique(UNIQUE_CONSTRAINTS.payoutRunPayee, key(runId, userId)),
    listByRun: (scope, runId) => at(scope).payouts.group('run', runId),
    claimSendable: (scope, claim) => {
      // Transactions run one at a time here, so nothing is ever locked by another: a claim is a filtered scan in insertion order.
      const table = at(scope).payouts;
      const sendable = (p: PayoutRecord) =>
        claim.methodTypes.includes(p.method.type) &&
        (p.status === 'approved' || (p.externalReference === null && (p.leaseUntil === null || p.leaseUntil.getTime() < claim.now.getTime())));
      const pks = [...table.groupKeys('status', 'approved'), ...table.groupKeys('status', 'processing')].sort((a, b) => table.seqOf(a)! - table.seqOf(b)!);
      const rows: PayoutRecord[] = [];
      for (const pk of pks) {
        if (rows.length >= claim.limit) break;
        const row = table.get(pk)!;
        if (sendable(row)) rows.push(row);
      }
      return rows;
    },
    update: (scope, id, patch) => {
      at(scope).payouts.update(id, patch, current.undo);
    },
  };
}
