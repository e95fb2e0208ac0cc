import type { PayoutRunRecord, PayoutRunRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `payoutRuns` table of one partition. */
export function payoutRunsTable(): Table<PayoutRunRecord> {
  return new Table<PayoutRunRecord>({ key: (r) => r.id, name: UNIQUE_CONSTRAINTS.payoutRunId, copy: COPIES.payoutRun, indexedFields: ['id'] });
}

/** The `payoutRuns` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function payoutRunRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): PayoutRunRepository {
  return {
    insert: (row) => at(row).payoutRuns.insert(row, current.undo),
    get: (scope, id) => at(scope).payoutRuns.get(id),
    update: (scope, id, patch) => {
      at(scope).payoutRuns.update(id, patch, current.undo);
    },
  };
}
