import type { Mode, SourceEventRecord, SourceEventRepository } from '@onehop/core';
import type { Row } from '../executor';
import { prefixed, type TableStatements, unprefixed } from '../table-statements';
import { date, int, json, textOrNull } from '../values';
import { COMMISSION_COLUMNS, toCommission } from './commissions';

/** The columns of `source_events` as the store reads them. */
export const SOURCE_EVENT_COLUMNS =
  'program_id, mode, kind, event_id, payload_hash, referral_id, referrer_id, referee_id, amount, reversed_amount, related_event_id, result, occurred_at, recorded_at';

export const toSourceEvent = (r: Row): SourceEventRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  kind: r.kind as SourceEventRecord['kind'],
  eventId: String(r.event_id),
  payloadHash: String(r.payload_hash),
  referralId: textOrNull(r.referral_id),
  referrerId: textOrNull(r.referrer_id),
  refereeId: textOrNull(r.referee_id),
  amount: int(r.amount, 'amount'),
  reversedAmount: int(r.reversed_amount, 'reversed_amount'),
  relatedEventId: textOrNull(r.related_event_id),
  result: json(r.result),
  occurredAt: date(r.occurred_at),
  recordedAt: date(r.recorded_at),
});

/** The `events` repository of one transaction, on `source_events`. */
export function sourceEventRepository(sql: TableStatements): SourceEventRepository {
  const { t, read, one, insert, update, select } = sql;
  // One row per line named in result.commissionIds, or one row without a line. The
  // ids go in as an array (= ANY) so the planner walks the primary key; a join
  // on a set-returning function is costed at 100 rows and scans the table.
  const eventWithCommissions = `SELECT ${prefixed('e.', '', SOURCE_EVENT_COLUMNS)}, ${prefixed('c.', 'c_', COMMISSION_COLUMNS)}
    FROM ${t('source_events')} e
    LEFT JOIN ${t('commissions')} c ON c.program_id = $1 AND c.mode = $2 AND c.id = ANY (ARRAY(
      SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.result -> 'commissionIds') = 'array' THEN e.result -> 'commissionIds' END)))
    WHERE e.program_id = $1 AND e.mode = $2 AND e.kind = $3 AND e.event_id = $4`;
  return {
    insert: (row) => insert('source_events', row),
    get: (s, kind, eventId) => one(select('source_events', 'kind = $3 AND event_id = $4'), [s.programId, s.mode, kind, eventId], toSourceEvent),
    getWithCommissions: async (s, kind, eventId) => {
      const rows = await read(eventWithCommissions, [s.programId, s.mode, kind, eventId]);
      if (rows.length === 0) return null;
      const event = toSourceEvent(rows[0]!);
      const order = event.result.commissionIds as string[];
      const commissions = rows.filter((r) => r.c_id !== null).map((r) => toCommission(unprefixed(r, 'c_')));
      commissions.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
      return { event, commissions };
    },
    listRelated: (s, relatedEventId) =>
      read(select('source_events', 'related_event_id = $3', ' ORDER BY occurred_at, kind COLLATE "C", event_id COLLATE "C"'), [s.programId, s.mode, relatedEventId]).then(
        (rows) => rows.map(toSourceEvent),
      ),
    listByKinds: (s, kinds) => read(select('source_events', 'kind = ANY ($3)'), [s.programId, s.mode, kinds]).then((rows) => rows.map(toSourceEvent)),
    update: (s, kind, eventId, patch) => update('source_events', s, { kind, event_id: eventId }, patch),
  };
}
