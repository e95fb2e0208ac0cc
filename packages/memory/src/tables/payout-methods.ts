import type { PayoutMethodRecord, PayoutMethodRepository, Scope } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `payoutMethods` table of one partition. */
export function payoutMethodsTable(): Table<PayoutMethodRecord> {
  return new Table<PayoutMethodRecord>({ key: (r) => r.userId, name: 'payout_method_user', copy: COPIES.payoutMethod, indexedFields: ['userId'] });
}

/** The `payoutMethods` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function payoutMethodRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): PayoutMethodRepository {
  return {
    put: (row) => {
      const pk = row.userId;
      if (!at(row).payoutMethods.update(pk, row, current.undo)) at(row).payoutMethods.insert(row, current.undo);
    },
    get: (scope, userId) => at(scope).payoutMethods.get(userId),
    delete: (scope, userId) => at(scope).payoutMethods.delete(userId, current.undo),
  };
}
