import type { Actor, AuditRecord, AuditRepository, Mode } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, json, textOrNull } from '../values';

/** The columns of `audit_trail` as the store reads them. */
export const AUDIT_COLUMNS = 'program_id, mode, id, entity_type, entity_id, action, actor_type, actor_id, before, after, reason, source_event, data, at';

const actor = (r: Row): Actor => ({ type: r.actor_type as Actor['type'], id: textOrNull(r.actor_id) });

const toAudit = (r: Row): AuditRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  id: String(r.id),
  entityType: r.entity_type as AuditRecord['entityType'],
  entityId: String(r.entity_id),
  action: String(r.action),
  actor: actor(r),
  before: textOrNull(r.before),
  after: textOrNull(r.after),
  reason: textOrNull(r.reason),
  sourceEvent: textOrNull(r.source_event),
  data: r.data === null || r.data === undefined ? null : json(r.data),
  at: date(r.at),
});

/** The `audit` repository of one transaction, on `audit_trail`. */
export function auditRepository(sql: TableStatements): AuditRepository {
  const { after, read, insert, select } = sql;
  return {
    append: (row) => insert('audit_trail', row),
    listByEntity: async (s, entityType, entityId) =>
      (await read(select('audit_trail', 'entity_type = $3 AND entity_id = $4', ' ORDER BY seq'), [s.programId, s.mode, entityType, entityId])).map(toAudit),
    listRecent: async (s, page) =>
      page.cursor === undefined
        ? (await read(select('audit_trail', 'true', ' ORDER BY seq DESC LIMIT $3'), [s.programId, s.mode, page.limit])).map(toAudit)
        : (await read(select('audit_trail', after('audit_trail', 3, true), ' ORDER BY seq DESC LIMIT $4'), [s.programId, s.mode, page.cursor, page.limit])).map(toAudit),
  };
}
