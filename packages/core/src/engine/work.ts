import type { ProgramConfig } from '../config/program';
import type { DailyMetric } from '../counters/stats';
import type { FraudRule } from '../fraud/rules';
import type { DomainEventType } from '../outbox/events';
import type { Actor, AuditEntityType, ReferralRecord, ReferralStatus, Scope } from '../store/records';
import type { StoreTransaction } from '../store/store';
import type { EngineContext } from './context';
import { type AuditFields, Recorder } from './recorder';

/**
 * The unit of work: one attempt of one store transaction. It owns the
 * transaction, the scope, the time, and what the transaction writes just
 * before it commits (its statistics and its outbox events, kept by its
 * `Recorder`); the audit trail is written through it, the ledger through
 * `ledger/post.ts`. Every engine step takes a `Work`; `EngineContext.run`
 * makes one per attempt, so a retried attempt starts with empty buffers.
 */
export class Work {
  readonly scope: Scope;
  /** The statistics and outbox events of this transaction, written just before it commits. */
  readonly recorder: Recorder;

  constructor(
    readonly ctx: EngineContext,
    readonly tx: StoreTransaction,
  ) {
    this.scope = ctx.scope;
    this.recorder = new Recorder(ctx.scope, ctx.program.outbox.enabled, { now: () => ctx.clock.now(), currentDay: () => ctx.currentDay() });
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
    await this.recorder.stats.flush(this.tx);
    const events = this.recorder.outbox;
    if (events.length > 0) await this.tx.outbox.insertMany(events.splice(0));
  }

  /** Counts `delta` of a daily metric for `ownerId` (today and in all time) and for the program (today and this month). */
  tally(ownerId: string, metric: DailyMetric, delta: number): void {
    this.recorder.tally(ownerId, metric, delta);
  }

  /**
   * Counts `delta` of an all-time figure `name` under `key` (`all`, or a
   * breakdown key such as `s:newsletter`), for `ownerId` when given and for
   * the program.
   */
  tallyTotal(ownerId: string | null, name: string, key: string, delta: number): void {
    this.recorder.tallyTotal(ownerId, name, key, delta);
  }

  /** Counts `delta` of counter `name` in `period` for `ownerId` alone (no program figure). */
  tallyOwner(ownerId: string, name: string, period: string, delta: number): void {
    this.recorder.tallyOwner(ownerId, name, period, delta);
  }

  /**
   * Counts a referral entering status `to` (from `from`, or as a new
   * referral): the status totals, the day's sign-up, qualification or
   * rejection, and the channel (`s:`) and country (`c:`) breakdowns of
   * sign-ups and qualifications.
   */
  tallyReferral(referral: ReferralRecord, from: ReferralStatus | null, to: ReferralStatus): void {
    this.recorder.tallyReferral(referral, from, to);
  }

  /**
   * Writes a domain event to the outbox with the transaction (unless the
   * program turned the outbox off). `subjectId` is the participant it
   * concerns; delivery keeps the order per subject.
   */
  emit(type: DomainEventType, subjectId: string, entityType: AuditEntityType, entityId: string, data: Record<string, unknown>): void {
    this.recorder.emit(type, subjectId, entityType, entityId, data);
  }

  /**
   * Appends one line to the audit trail. With `notify`, the line is also a
   * domain event (its action is the event type) for that participant.
   */
  async audit(entityType: AuditEntityType, entityId: string, action: string, actor: Actor, fields: AuditFields = {}): Promise<void> {
    await this.tx.audit.append(this.recorder.auditLine(entityType, entityId, action, actor, fields));
  }
}
