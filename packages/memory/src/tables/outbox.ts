import type { OutboxRecord, OutboxRepository, Scope } from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import { pageOf } from '../paging';
import type { Partition } from '../partition';
import { ALL_ROWS, Table, type Undo } from '../table';

/** The `outbox` table of one partition. */
export function outboxTable(): Table<OutboxRecord> {
  return new Table<OutboxRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.outboxId,
    copy: COPIES.outbox,
    groups: {
      status: (r) => r.status,
      // Delivered events are removed by purge, and only those.
      delivered: (r) => (r.status === 'delivered' ? ALL_ROWS : null),
    },
    indexedFields: ['id', 'status'],
  });
}

/** The `outbox` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function outboxRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): OutboxRepository {
  return {
    insertMany: (rows) => {
      for (const row of rows) at(row).outbox.insert(row, current.undo);
    },
    get: (scope, id) => at(scope).outbox.get(id),
    claim: (scope, c) => {
      const now = c.now.getTime();
      const free = (r: OutboxRecord) => r.nextAttemptAt.getTime() <= now && (r.leaseUntil === null || r.leaseUntil.getTime() <= now);
      // Subjects seen, and whether their run is still open (a run closes at an event that is not free, or after a head that failed before).
      const open = new Map<string, boolean>();
      const taken = new Map<string, OutboxRecord[]>();
      // Pending events in insertion order: the first of each subject is its head.
      for (const pk of at(scope).outbox.groupKeys('status', 'pending')) {
        const row = at(scope).outbox.peek(pk)!;
        const head = !open.has(row.subjectId);
        if (!head && !open.get(row.subjectId)) continue;
        const list = taken.get(row.subjectId);
        if (head && free(row) && taken.size < c.subjects) {
          taken.set(row.subjectId, [row]);
          open.set(row.subjectId, row.attempts === 0 && c.perSubject > 1);
        } else if (!head && list && free(row)) {
          list.push(row);
          open.set(row.subjectId, list.length < c.perSubject);
        } else {
          open.set(row.subjectId, false);
        }
      }
      const out: OutboxRecord[] = [];
      for (const rows of taken.values()) {
        for (const row of rows) {
          at(scope).outbox.update(row.id, { leaseToken: c.leaseToken, leaseUntil: c.leaseUntil }, current.undo);
          out.push(at(scope).outbox.get(row.id)!);
        }
      }
      return out;
    },
    renew: (scope, ids, leaseToken, leaseUntil) =>
      ids.filter((id) => {
        const pk = id;
        const row = at(scope).outbox.peek(pk);
        if (row?.leaseToken !== leaseToken || row.status !== 'pending') return false;
        at(scope).outbox.update(pk, { leaseUntil }, current.undo);
        return true;
      }),
    release: (scope, ids, leaseToken) => {
      for (const id of ids) {
        if (at(scope).outbox.peek(id)?.leaseToken === leaseToken) at(scope).outbox.update(id, { leaseToken: null, leaseUntil: null }, current.undo);
      }
    },
    updateLeased: (scope, id, leaseToken, patch) => {
      const pk = id;
      if (at(scope).outbox.peek(pk)?.leaseToken !== leaseToken) return false;
      return at(scope).outbox.update(pk, patch, current.undo);
    },
    update: (scope, id, patch) => {
      at(scope).outbox.update(id, patch, current.undo);
    },
    list: (scope, status, page) => pageOf(at(scope).outbox, at(scope).outbox.groupKeys('status', status), page),
    purgeDelivered: (scope, before, limit) => {
      const pks = at(scope)
        .outbox.groupKeys('delivered', ALL_ROWS)
        .filter((pk) => at(scope).outbox.peek(pk)!.deliveredAt!.getTime() < before.getTime())
        .slice(0, limit);
      for (const pk of pks) at(scope).outbox.delete(pk, current.undo);
      return pks.length;
    },
    // A scan of the partition's events: erasure is rare, and this is a development store.
    clearErrors: (scope, subjectId, entityIds) => {
      const table = at(scope).outbox;
      const entities = new Set(entityIds);
      const pks = table.keys().filter((pk) => {
        const r = table.peek(pk)!;
        return r.lastError !== null && (r.subjectId === subjectId || entities.has(r.entityId));
      });
      for (const pk of pks) table.update(pk, { lastError: null }, current.undo);
      return pks.length;
    },
  };
}
