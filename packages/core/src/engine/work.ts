import type { ProgramConfig } from '../config/program';
import { ALL, breakdownName, type DailyMetric, STAT_NAMES, STATUS_COUNTER, StatBuffer } from '../counters/stats';
import type { FraudRule } from '../fraud/rules';
import type { DomainEventType } from '../outbox/events';
import type { Actor, AuditEntityType, AuditRecord, OutboxRecord, ReferralRecord, ReferralStatus, Scope } from '../store/records';
import type { StoreTransaction } from '../store/store';
import type { EngineContext } from './context';
import { newId } from './ids';

/**
 * The unit of work: one attempt of one store transaction. It owns the
 * transaction, the scope, the time, and what the transaction writes just
 * before it commits (its statistics and its outbox events); the audit trail
 * is written through it, the ledger through `ledger/post.ts`. Every engine step takes a `Work`;
 * `EngineContext.run` makes one per attempt, so a retried attempt starts
 * with empty buffers.
 */
export class Work {
  readonly scope: Scope;
  /** The counter changes of this transaction, added in one statement before it commits. */
  private readonly stats = new StatBuffer();
  /** The outbox events of this transaction, written with it just before it commits. */
  private readonly events: OutboxRecord[] = [];

  constructor(
    readonly ctx: EngineContext,
    readonly tx: StoreTransaction,
  ) {
    this.scope = ctx.scope;
  }

  get program(): ProgramConfig {
    return this.ctx.program;
  }

  /** The fraud rules that run at attribution and accrual. */
  get rules(): FraudRule[] {
    return this.ctx.rules;
  }

  /** The time now, from the program's clock. */
  now(): Date {
    return this.ctx.clock.now();
  }

  /** Writes the buffered statistics and outbox events; called by `EngineContext.run` once `fn` returned. */
  async commit(): Promise<void> {
    await this.stats.flush(this.tx);
    if (this.events.length > 0) await this.tx.outbox.insertMany(this.events);
  }

  /** Counts `delta` of a daily metric for `ownerId` (today and in all time) and for the program (today and this month). */
  tally(ownerId: string, metric: DailyMetric, delta: number): void {
    const buffer = this.stats;
    const { key: day, month } = this.ctx.currentDay();
    const name = STAT_NAMES[metric];
    buffer.add(this.scope, ownerId, name, day, delta);
    buffer.add(this.scope, ownerId, name, ALL, delta);
    buffer.add(this.scope, buffer.shard, name, day, delta);
    buffer.add(this.scope, buffer.shard, name, month, delta);
  }

  /**
   * Counts `delta` of an all-time figure `name` under `key` (`all`, or a
   * breakdown key such as `s:newsletter`), for `ownerId` when given and for
   * the program.
   */
  tallyTotal(ownerId: string | null, name: string, key: string, delta: number): void {
    const buffer = this.stats;
    if (ownerId !== null) buffer.add(this.scope, ownerId, name, key, delta);
    buffer.add(this.scope, buffer.shard, name, key, delta);
  }

  /** Counts `delta` of counter `name` in `period` for `ownerId` alone (no program figure). */
  tallyOwner(ownerId: string, name: string, period: string, delta: number): void {
    this.stats.add(this.scope, ownerId, name, period, delta);
  }

  /**
   * Counts a referral entering status `to` (from `from`, or as a new
   * referral): the status totals, the day's sign-up, qualification or
   * rejection, and the channel (`s:`) and country (`c:`) breakdowns of
   * sign-ups and qualifications.
   */
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

  /**
   * Writes a domain event to the outbox with the transaction (unless the
   * program turned the outbox off). `subjectId` is the participant it
   * concerns; delivery keeps the order per subject.
   */
  emit(type: DomainEventType, subjectId: string, entityType: AuditEntityType, entityId: string, data: Record<string, unknown>): void {
    if (!this.ctx.program.outbox.enabled) return;
    const now = this.now();
    this.events.push({
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

  /**
   * Appends one line to the audit trail. With `notify`, the line is also a
   * domain event (its action is the event type) for that participant.
   */
  async audit(
    entityType: AuditEntityType,
    entityId: string,
    action: string,
    actor: Actor,
    fields: Partial<Pick<AuditRecord, 'before' | 'after' | 'reason' | 'sourceEvent' | 'data'>> & { notify?: string } = {},
  ): Promise<void> {
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
    await this.tx.audit.append({
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
    });
  }
}
