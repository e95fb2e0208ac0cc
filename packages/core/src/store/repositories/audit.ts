import type { Awaitable, CursorPage } from '../reads';
import type { AuditEntityType, AuditRecord, Scope } from '../records';

export interface AuditRepository {
  append(row: AuditRecord): Awaitable<void>;
  /** One entity's trail, in the order it was appended. */
  listByEntity(scope: Scope, entityType: AuditEntityType, entityId: string): Awaitable<AuditRecord[]>;
  /** The program's trail, newest first; with a cursor, the lines appended before that line. */
  listRecent(scope: Scope, page: CursorPage): Awaitable<AuditRecord[]>;
}
