import type { CommissionRecord, CommissionRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { historyOf, within } from '../paging';
import type { Partition } from '../partition';
import { ALL_ROWS, Table, type Undo } from '../table';

/** The `commissions` table of one partition. */
export function commissionsTable(): Table<CommissionRecord> {
  return new Table<CommissionRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.commissionId,
    copy: COPIES.commission,
    groups: {
      source: (r) => r.sourceEventId,
      referral: (r) => r.referralId,
      beneficiary: (r) => r.beneficiaryId,
      unallocated: (r) => (r.status === 'approved' && r.payoutId === null ? r.beneficiaryId : null),
      payout: (r) => r.payoutId,
      pending: (r) => (r.status === 'pending' ? ALL_ROWS : null),
    },
    indexedFields: ['id', 'sourceEventId', 'referralId', 'beneficiaryId', 'status', 'payoutId'],
  });
}

/** The `commissions` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function commissionRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): CommissionRepository {
  return {
    insert: (row) => at(row).commissions.insert(row, current.undo),
    get: (scope, id) => at(scope).commissions.get(id),
    listBySource: (scope, sourceEventId) => at(scope).commissions.group('source', sourceEventId),
    listByBeneficiary: (scope, beneficiaryId, page) =>
      historyOf(
        at(scope).commissions,
        at(scope).commissions.groupKeys('beneficiary', beneficiaryId),
        page,
        (c) => (page.status === undefined || c.status === page.status) && within(c.createdAt, page),
      ),
    listUnallocated: (scope, beneficiaryId) =>
      at(scope)
        .commissions.group('unallocated', beneficiaryId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
    listByReferral: (scope, referralId) => at(scope).commissions.group('referral', referralId),
    listByPayout: (scope, payoutId) => at(scope).commissions.group('payout', payoutId),
    // Transactions run one at a time: nothing another one claimed is still locked.
    claimDue: (scope, now, page) =>
      at(scope)
        .commissions.group('pending', ALL_ROWS)
        .filter((c) => c.availableAt.getTime() <= now.getTime())
        .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime())
        .slice(0, page.limit),
    update: (scope, id, patch) => {
      at(scope).commissions.update(id, patch, current.undo);
    },
  };
}
