import type { FingerprintRecord, FingerprintRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { key, Table, type Undo } from '../table';

/** The `fingerprints` table of one partition. */
export function fingerprintsTable(): Table<FingerprintRecord> {
  return new Table<FingerprintRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.fingerprintId,
    copy: COPIES.fingerprint,
    groups: { value: (r) => key(r.kind, r.hash), user: (r) => r.userId },
  });
}

/** The `fingerprints` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function fingerprintRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): FingerprintRepository {
  return {
    insert: (row) => at(row).fingerprints.insert(row, current.undo),
    count: (scope, q) =>
      at(scope)
        .fingerprints.groupKeys('value', key(q.kind, q.hash))
        .filter((pk) => {
          const r = at(scope).fingerprints.peek(pk)!;
          return (
            (q.role === undefined || r.role === q.role) &&
            (q.userId === undefined || r.userId === q.userId) &&
            (q.referrerId === undefined || r.referrerId === q.referrerId) &&
            (q.since === undefined || r.at.getTime() >= q.since.getTime())
          );
        }).length,
    listByUser: (scope, userId) => at(scope).fingerprints.group('user', userId),
    eraseUser: (scope, userId) => {
      const pks = at(scope).fingerprints.groupKeys('user', userId);
      for (const pk of pks) at(scope).fingerprints.delete(pk, current.undo);
      return pks.length;
    },
  };
}
