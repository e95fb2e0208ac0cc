import { ALL, breakdownName, type DailyMetric, STAT_NAMES, STATUS_COUNTER, StatBuffer } from '../counters/stats';
import type { DomainEventType } from '../outbox/events';
import type { Actor, AuditEntityType, AuditRecord, OutboxRecord, ReferralRecord, ReferralStatus, Scope } from '../store/records';
import { newId } from './ids';

/** What an audit line says besides its entity, action and actor; with `notify`, the line is also a domain event for that participant. */
export type AuditFields = Partial<Pick<AuditRecord, 'before' | 'after' | 'reason' | 'sourceEvent' | 'data'>> & { notify?: string };

/** Where a recorder takes the time and the day from (the unit of work's clock, or the fixed moment of a decision). */
export interface RecorderTime {
  now(): Date;
  /** Today's key and its month's key in the program's time zone (see `counters/stats.ts`). */
  currentDay(): { key: string; month: string };
}

/**
 * What a unit of work or a decision records besides its rows, without any
 * I/O: statistics counter changes, outbox events, and audit lines. A `Work`
 * writes them with its transaction; a decision puts them in its write set.
 */
export class Recorder {
  /** The counter changes, added in one write. */
  readonly stats: StatBuffer;
  /** The outbox events, written in one insert. */
  readonly outbox: OutboxRecord[];

  /** With `shared`, records into another recorder's buffers (a decision made inside a unit of work takes the unit's along). */
  constructor(
    readonly scope: Scope,
    private readonly outboxEnabled: boolean,
    private readonly time: RecorderTime,
    shared?: Recorder,
  ) {
    this.stats = shared?.stats ?? new StatBuffer();
    this.outbox = shared?.outbox ?? [];
  }

  now(): Date {
    return this.time.now();
  }

  /** Counts `delta` of a daily metric for `ownerId` (today and in all time) and for the program (today and this month). */
  tally(ownerId: string, metric: DailyMetric, delta: number): void {
    const buffer = this.stats;
    const { key: day, month } = this.time.currentDay();
    const name = STAT_NAMES[metric];
    buffer.add(this.scope, ownerId, name, day, delta);
    buffer.add(this.scope, ownerId, name, ALL, delta);
    buffer.add(this.scope, buffer.shard, name, day, delta);
    buffer.add(this.scope, buffer.shard, name, month, delta);
  }

  /** Counts `delta` of an all-time figure `name` under `key`, for `ownerId` when given and for the program. */
  tallyTotal(ownerId: string | null, name: string, key: string, delta: number): void {
    const buffer = this.stats;
    if (ownerId !== null) buffer.add(this.scope, ownerId, name, key, delta);
    buffer.add(this.scope, buffer.shard, name, key, delta);
  }

  /** Counts `delta` of counter `name` in `period` for `ownerId` alone (no program figure). */
  tallyOwner(ownerId: string, name: string, period: string, delta: number): void {
    this.stats.add(this.scope, ownerId, name, period, delta);
  }

  /** Counts a referral entering status `to` (from `from`, or as a new referral); see `Work.tallyReferral`. */
  tallyReferral(referral: ReferralRecord, from: ReferralStatus | null, to: ReferralStatus): void {
    const owner = referral.referrerId;
    if (from !== null) this.tallyTotal(owner, STATUS_COUNTER, from, -1);
    this.tallyTotal(owner, STATUS_COUNTER, to, 1);
    const event = from === null ? 'signups' : to === 'qualified' ? 'qualified' : to === 'rejected' ? 'rejected' : null;
    if (event === null) return;
    this.tally(owner, event, 1);
    if (event === 'rejected') return;
    this.tallyTotal(owner, breakdownName(event), `s:${referral.source ?? ''}`, 1);
    this.tallyTotal(owner, breakdownName(event), `c:${referral.country ?? ''}`, 1);
  }

  /** Records a domain event for the outbox (unless the program turned the outbox off). */
  emit(type: DomainEventType, subjectId: string, entityType: AuditEntityType, entityId: string, data: Record<string, unknown>): void {
    if (!this.outboxEnabled) return;
    const now = this.now();
    this.outbox.push({
      programId: this.scope.programId,
      mode: this.scope.mode,
      id: newId('evt'),
      type,
      subjectId,
      entityType,
      entityId,
      data,
      occurredAt: now,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseToken: null,
      leaseUntil: null,
      lastError: null,
      deliveredAt: null,
    });
  }

  /** One audit line, to be written by the caller; with `notify`, also records its domain event. */
  auditLine(entityType: AuditEntityType, entityId: string, action: string, actor: Actor, fields: AuditFields = {}): AuditRecord {
    if (fields.notify !== undefined) {
      // Built by assignment, not `{ ...fields.data, actor, … }`: on Node 20 a
      // literal that adds properties after a spread costs about 4 µs (see
      // `Scope`), and this runs for every commission accrued.
      const data: Record<string, unknown> = Object.assign({}, fields.data);
      data.actor = actor;
      data.before = fields.before ?? null;
      data.after = fields.after ?? null;
      data.reason = fields.reason ?? null;
      data.sourceEvent = fields.sourceEvent ?? null;
      this.emit(action as DomainEventType, fields.notify, entityType, entityId, data);
    }
    return {
      programId: this.scope.programId,
      mode: this.scope.mode,
      id: newId('aud'),
      entityType,
      entityId,
      action,
      actor,
      before: fields.before ?? null,
      after: fields.after ?? null,
      reason: fields.reason ?? null,
      sourceEvent: fields.sourceEvent ?? null,
      data: fields.data ?? null,
      at: this.now(),
    };
  }
}
