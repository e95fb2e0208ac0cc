import type { ReviewRecord, ReviewRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { key, Table, type Undo } from '../table';

/** The `reviews` table of one partition. */
export function reviewsTable(): Table<ReviewRecord> {
  return new Table<ReviewRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.reviewId,
    copy: COPIES.review,
    uniques: [{ name: UNIQUE_CONSTRAINTS.reviewOpen, key: (r) => (r.status === 'open' ? key(r.entityType, r.entityId) : null) }],
    groups: { status: (r) => r.status },
    indexedFields: ['id', 'status', 'entityType', 'entityId'],
  });
}

/** The `reviews` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function reviewRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): ReviewRepository {
  return {
    insert: (row) => at(row).reviews.insert(row, current.undo),
    get: (scope, id) => at(scope).reviews.get(id),
    getOpen: (scope, entityType, entityId) => at(scope).reviews.getByUnique(UNIQUE_CONSTRAINTS.reviewOpen, key(entityType, entityId)),
    hasOpenForReferrer: (scope, referrerId) => {
      const table = at(scope).reviews;
      return table.groupKeys('status', 'open').some((pk) => table.peek(pk)!.referrerId === referrerId);
    },
    list: (scope, status, page) => pageOf(at(scope).reviews, at(scope).reviews.groupKeys('status', status), page),
    update: (scope, id, patch) => {
      at(scope).reviews.update(id, patch, current.undo);
    },
  };
}
