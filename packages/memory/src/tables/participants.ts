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
    get: (scope, userId) => at(scope).participants.get(userId),
    update: (scope, userId, patch) => {
      at(scope).participants.update(userId, patch, current.undo);
    },
  };
}
