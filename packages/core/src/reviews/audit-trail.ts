import { type EngineContext, parse } from '../engine/context';
import { userIdSchema } from '../engine/fields';
import type { AuditEntityType, AuditRecord } from '../store/records';
import { auditEntityTypeSchema } from './inputs';

/** One entity's audit trail, oldest first. */
export async function auditTrail(ctx: EngineContext, entityType: AuditEntityType, entityId: string): Promise<AuditRecord[]> {
  const type = parse(auditEntityTypeSchema, entityType, 'entityType');
  const id = parse(userIdSchema, entityId, 'entityId');
  return ctx.read((work) => work.tx.audit.listByEntity(work.scope, type, id));
}
