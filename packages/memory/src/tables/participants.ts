import type { ParticipantRecord, ParticipantRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `participants` table of one partition. */
export function participantsTable(): Table<ParticipantRecord> {
  return new Table<ParticipantRecord>({
    key: (r) => r.userId,
    name: UNIQUE_CONSTRAINTS.participantUser,
    copy: COPIES.participant,
    indexedFields: ['userId'],
  });
}

/** The `participants` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function participantRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): ParticipantRepository {
  return {
    insert: (row) => at(row).participants.insert(row, current.undo),
    get: (scope, userId, options) => {
      const p = at(scope);
      const row = p.participants.get(userId);
      // A locking read bumps the version: a write set decided before this transaction must not apply after it.
      if (row !== null && options?.forUpdate === true) bumpVersion(p, userId, current.undo);
      return row;
    },
    update: (scope, userId, patch) => {
      at(scope).participants.update(userId, patch, current.undo);
    },
  };
}

/** Adds one to a participant's (or, in `versions`, a referral's) version, undone with the transaction. */
export function bumpVersion(p: Partition, id: string, undo: Undo[], versions = p.versions): void {
  const before = versions.get(id);
  versions.set(id, (before ?? 0) + 1);
  undo.push(() => {
    if (before === undefined) versions.delete(id);
    else versions.set(id, before);
  });
}
