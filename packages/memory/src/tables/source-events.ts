import type { CommissionRecord, Scope, SourceEventKind, SourceEventRecord, SourceEventRepository } from '@onehop/core';
import { SOURCE_EVENT_KINDS, UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from '../copies';
import type { Partition } from '../partition';
import { Table, type Undo } from '../table';

const eventTable = (groups?: { referrer: (r: SourceEventRecord) => string | null }) =>
  new Table<SourceEventRecord>({
    key: (r) => r.eventId,
    name: UNIQUE_CONSTRAINTS.sourceEvent,
    copy: COPIES.event,
    groups: { related: (r: SourceEventRecord) => r.relatedEventId, ...groups },
    indexedFields: ['kind', 'eventId', 'referrerId', 'relatedEventId'],
  });

/** Source events, one table per kind: an event is always looked up by its kind and id. */
export function sourceEventTables(): Record<SourceEventKind, Table<SourceEventRecord>> {
  return {
    purchase: eventTable(),
    refund: eventTable(),
    chargeback: eventTable(),
    // A referrer's milestone bonuses are listed by the accrual's read.
    bonus: eventTable({ referrer: (r) => r.referrerId }),
    reinstatement: eventTable(),
    cancellation: eventTable(),
  };
}

/** The `events` repository: `at` finds a scope's partition, `current.undo` is the running transaction's undo log. */
export function sourceEventRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }): SourceEventRepository {
  return {
    insert: (row) => at(row).events[row.kind].insert(row, current.undo),
    get: (scope, kind, eventId) => at(scope).events[kind].get(eventId),
    getWithCommissions: (scope, kind, eventId) => eventWithCommissions(at(scope), kind, eventId),
    listRelated: (scope, relatedEventId) => {
      const p = at(scope);
      const rows = SOURCE_EVENT_KINDS.flatMap((kind) => p.events[kind].group('related', relatedEventId));
      return rows.sort(byOccurrence);
    },
    listByKinds: (scope, kinds) => {
      const p = at(scope);
      return kinds.flatMap((kind) => p.events[kind].keys().map((pk) => p.events[kind].get(pk)!));
    },
    update: (scope, kind, eventId, patch) => {
      at(scope).events[kind].update(eventId, patch, current.undo);
    },
  };
}

/** The order `listRelated` returns events in: when they occurred, then kind, then event id. */
export const byOccurrence = (a: SourceEventRecord, b: SourceEventRecord): number =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/** A recorded event and the lines its `result.commissionIds` names, in that order. */
export function eventWithCommissions(p: Partition, kind: SourceEventKind, eventId: string): { event: SourceEventRecord; commissions: CommissionRecord[] } | null {
  const event = p.events[kind].get(eventId);
  if (!event) return null;
  const ids = event.result.commissionIds;
  const commissions: CommissionRecord[] = [];
  for (const id of Array.isArray(ids) ? (ids as string[]) : []) {
    const line = p.commissions.get(id);
    if (line) commissions.push(line);
  }
  return { event, commissions };
}
