import type { ClickRecord, ClickRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

/** The `clicks` table of one partition. */
export function clicksTable(): Table<ClickRecord> {
  return new Table<ClickRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.clickId,
    copy: COPIES.click,
    groups: { ip: (r) => r.ipHash, referrer: (r) => r.referrerId },
    indexedFields: ['id', 'ipHash', 'referrerId'],
  });
}

/** The `clicks` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function clickRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): ClickRepository {
  return {
    insert: (row) => at(row).clicks.insert(row, current.undo),
    countByIpSince: (scope, ipHash, since) =>
      at(scope)
        .clicks.groupKeys('ip', ipHash)
        .filter((pk) => at(scope).clicks.peek(pk)!.at.getTime() >= since.getTime()).length,
    listByReferrer: (scope, referrerId, page) => pageOf(at(scope).clicks, at(scope).clicks.groupKeys('referrer', referrerId), page),
    eraseByIpHashes: (scope, ipHashes) => {
      const table = at(scope).clicks;
      let changed = 0;
      for (const pk of new Set(ipHashes.flatMap((hash) => table.groupKeys('ip', hash)))) {
        table.update(pk, { ipHash: null, landingUrl: null }, current.undo);
        changed += 1;
      }
      return changed;
    },
  };
}
