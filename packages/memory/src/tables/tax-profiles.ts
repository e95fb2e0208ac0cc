import type { Scope, TaxProfileRecord, TaxProfileRepository } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `taxProfiles` table of one partition. */
export function taxProfilesTable(): Table<TaxProfileRecord> {
  return new Table<TaxProfileRecord>({ key: (r) => r.userId, name: 'tax_profile_user', copy: COPIES.taxProfile, indexedFields: ['userId'] });
}

/** The `taxProfiles` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function taxProfileRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): TaxProfileRepository {
  return {
    put: (row) => {
      if (!at(row).taxProfiles.update(row.userId, row, current.undo)) at(row).taxProfiles.insert(row, current.undo);
    },
    get: (scope, userId) => at(scope).taxProfiles.get(userId),
  };
}
