import type { AuditRecord, AuditRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { key, Table, type Undo } from '../table';

/** The `audit` table of one partition. */
export function auditTable(): Table<AuditRecord> {
  return new Table<AuditRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.auditId,
    copy: COPIES.audit,
    // The whole trail in order is the table's own key order (`keys()`).
    groups: { entity: (r) => key(r.entityType, r.entityId) },
  });
}

/** The `audit` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function auditRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): AuditRepository {
  return {
    append: (row) => at(row).audit.insert(row, current.undo),
    listByEntity: (scope, entityType, entityId) => at(scope).audit.group('entity', key(entityType, entityId)),
    listRecent: (scope, page) => pageOf(at(scope).audit, at(scope).audit.keys().reverse(), page, true),
  };
}
