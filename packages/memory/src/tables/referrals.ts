import type { ReferralRecord, ReferralRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `referrals` table of one partition. */
export function referralsTable(): Table<ReferralRecord> {
  return new Table<ReferralRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.referralId,
    copy: COPIES.referral,
    uniques: [{ name: UNIQUE_CONSTRAINTS.referralReferee, key: (r) => r.refereeId }],
    groups: { referrer: (r) => r.referrerId, status: (r) => r.status },
    indexedFields: ['id', 'refereeId', 'referrerId', 'status'],
  });
}

/** The `referrals` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function referralRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): ReferralRepository {
  return {
    insert: (row) => at(row).referrals.insert(row, current.undo),
    get: (scope, id) => at(scope).referrals.get(id),
    getByReferee: (scope, refereeId) => at(scope).referrals.getByUnique(UNIQUE_CONSTRAINTS.referralReferee, refereeId),
    listByReferrer: (scope, referrerId, page) => at(scope).referrals.group('referrer', referrerId).slice(0, page.limit),
    listByStatus: (scope, status, page) => pageOf(at(scope).referrals, at(scope).referrals.groupKeys('status', status), page),
    // A scan of the referrer's referrals: fine for a development store; the
    // PostgreSQL store answers it from an index.
    countByReferrerSince: (scope, referrerId, since) =>
      at(scope)
        .referrals.groupKeys('referrer', referrerId)
        .filter((pk) => at(scope).referrals.peek(pk)!.attributedAt.getTime() >= since.getTime()).length,
    update: (scope, id, patch) => {
      at(scope).referrals.update(id, patch, current.undo);
    },
  };
}
