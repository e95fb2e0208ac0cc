import type { InvitationRecord, InvitationRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { historyOf } from '../paging';
import type { Partition } from '../partition';
import { ALL_ROWS, key, Table, type Undo } from '../table';

/** The `invitations` table of one partition. */
export function invitationsTable(): Table<InvitationRecord> {
  return new Table<InvitationRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.invitationId,
    copy: COPIES.invitation,
    uniques: [
      { name: UNIQUE_CONSTRAINTS.invitationToken, key: (r) => r.token },
      { name: UNIQUE_CONSTRAINTS.invitationPending, key: (r) => (r.status === 'pending' ? key(r.inviterId, r.emailNormalized) : null) },
    ],
    groups: { inviter: (r) => r.inviterId, pending: (r) => (r.status === 'pending' ? ALL_ROWS : null) },
    indexedFields: ['id', 'token', 'status', 'inviterId', 'emailNormalized'],
  });
}

/** The `invitations` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function invitationRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): InvitationRepository {
  return {
    insert: (row) => at(row).invitations.insert(row, current.undo),
    get: (scope, id) => at(scope).invitations.get(id),
    getByToken: (scope, token) => at(scope).invitations.getByUnique(UNIQUE_CONSTRAINTS.invitationToken, token),
    getPending: (scope, inviterId, emailNormalized) => at(scope).invitations.getByUnique(UNIQUE_CONSTRAINTS.invitationPending, key(inviterId, emailNormalized)),
    listByInviter: (scope, inviterId, page) =>
      historyOf(at(scope).invitations, at(scope).invitations.groupKeys('inviter', inviterId), page, (r) => page.status === undefined || r.status === page.status),
    listExpired: (scope, now, page) =>
      at(scope)
        .invitations.groupKeys('pending', ALL_ROWS)
        .map((pk) => at(scope).invitations.peek(pk)!)
        .filter((r) => r.expiresAt.getTime() <= now.getTime())
        .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
        .slice(0, page.limit)
        .map((r) => at(scope).invitations.get(r.id)!),
    // A scan of the partition's invitations: erasure is rare, and this is a development store.
    listConcerning: (scope, userId, emailsNormalized) => {
      const table = at(scope).invitations;
      const emails = new Set(emailsNormalized);
      return table
        .keys()
        .filter((pk) => {
          const r = table.peek(pk)!;
          return r.inviterId === userId || r.acceptedBy === userId || emails.has(r.emailNormalized);
        })
        .map((pk) => table.get(pk)!);
    },
    update: (scope, id, patch) => {
      at(scope).invitations.update(id, patch, current.undo);
    },
  };
}
