import type { CodeRecord, CodeRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `codes` table of one partition. */
export function codesTable(): Table<CodeRecord> {
  return new Table<CodeRecord>({
    key: (r) => r.code,
    name: UNIQUE_CONSTRAINTS.codeValue,
    copy: COPIES.code,
    groups: { user: (r) => r.userId },
    indexedFields: ['code', 'userId'],
  });
}

/** The `codes` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function codeRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): CodeRepository {
  return {
    insert: (row) => at(row).codes.insert(row, current.undo),
    get: (scope, code) => at(scope).codes.get(code),
    listByUser: (scope, userId) => at(scope).codes.group('user', userId),
    update: (scope, code, patch) => {
      at(scope).codes.update(code, patch, current.undo);
    },
  };
}
