import type { z } from 'zod';
import type { Clock } from '../clock/clock';
import type { ProgramConfig } from '../config/program';
import type { FraudRule } from '../fraud/rules';
import { isOnehopError, ValidationError, type UniqueViolationError } from '../errors/errors';
import type {
  Actor,
  AuditEntityType,
  AuditRecord,
  Bucket,
  LedgerEntryKind,
  LedgerEntryRecord,
  LedgerSourceType,
  OutboxRecord,
  ReferralRecord,
  ReferralStatus,
  Scope,
} from '../store/records';
import type { Awaitable, Store, StoreTransaction } from '../store/store';
import type { DomainEventType } from './events';
import { newId } from './ids';
import { ALL, breakdownName, dayBounds, dayKey, monthOfDay, StatBuffer, STAT_NAMES, STATUS_COUNTER, type DailyMetric } from './stats';

export const SYSTEM: Actor = { type: 'system', id: null };

/** Validates `input` with `schema`; a failure is a ValidationError naming the field, before anything is written. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error, root);
  return result.data;
}

/** Money moving within one account: signed amounts per bucket, summing to the account's net change. */
export interface Posting {
  accountId: string;
  moves: Partial<Record<Bucket, number>>;
  kind: LedgerEntryKind;
  commissionId?: string | null;
  payoutId?: string | null;
  sourceType: LedgerSourceType;
  sourceId: string;
  actor: Actor;
  reason?: string | null;
}

/** What every engine operation shares: the program, the store, the clock, and the helpers below. */
export class EngineContext {
  readonly scope: Scope;
  /** The statistics buffer of each running transaction. */
  private readonly stats = new WeakMap<StoreTransaction, StatBuffer>();
  /** The outbox events of each running transaction, written with it just before it commits. */
  private readonly events = new WeakMap<StoreTransaction, OutboxRecord[]>();
  /** The current day in the program's time zone, kept until the clock leaves it. */
  private day: { start: number; end: number; key: string; month: string } | null = null;

  constructor(
    readonly program: ProgramConfig,
    readonly store: Store,
    readonly clock: Clock,
    private readonly maxRetries: number,
    /** The fraud rules that run at attribution and accrual: the built-ins, then the program's own. */
    readonly rules: FraudRule[] = [],
  ) {
    this.scope = { programId: program.id, mode: program.mode };
  }

  /**
   * Runs `fn` in a store transaction. A transaction conflict (a lost race:
   * serialisation failure, deadlock) rolled back completely, so it runs again,
   * up to `maxRetries` times, then surfaces. A lost connection surfaces at once:
   * its outcome may be unknown, and the caller's retry is the safe one. A
   * unique violation is passed to `onUnique`, which says whether to run again
   * or what to throw.
   */
  async run<T>(
    fn: (tx: StoreTransaction) => Awaitable<T>,
    onUnique: (error: UniqueViolationError) => 'retry' | Error = (error) => error,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          const buffer = new StatBuffer();
          const events: OutboxRecord[] = [];
          this.stats.set(tx, buffer);
          this.events.set(tx, events);
          try {
            const result = await fn(tx);
            await buffer.flush(tx);
            if (events.length > 0) await tx.outbox.insertMany(events);
            return result;
          } finally {
            this.stats.delete(tx);
            this.events.delete(tx);
          }
        });
      } catch (error) {
        const decision = !isOnehopError(error)
          ? error
          : error.code === 'STORE_UNIQUE_VIOLATION'
            ? onUnique(error as UniqueViolationError)
            : error.code === 'TRANSACTION_CONFLICT'
              ? 'retry'
              : error;
        if (decision !== 'retry' || attempt >= this.maxRetries) throw decision === 'retry' ? error : decision;
      }
    }
  }

  /** The key of today in the program's time zone (see `stats.ts`). */
  today(): string {
    const now = this.clock.now().getTime();
    if (this.day === null || now < this.day.start || now >= this.day.end) {
      const { start, end } = dayBounds(new Date(now), this.program.timeZone);
      const key = dayKey(new Date(now), this.program.timeZone);
      this.day = { start: start.getTime(), end: end.getTime(), key, month: monthOfDay(key) };
    }
    return this.day.key;
  }

  private buffer(tx: StoreTransaction): StatBuffer {
    const buffer = this.stats.get(tx);
    if (!buffer) throw new Error('Statistics are counted inside EngineContext.run only');
    return buffer;
  }

  /** Counts `delta` of a daily metric for `ownerId` (today and in all time) and for the program (today and this month). */
  tally(tx: StoreTransaction, ownerId: string, metric: DailyMetric, delta: number): void {
    const buffer = this.buffer(tx);
    const day = this.today();
    const name = STAT_NAMES[metric];
    buffer.add(this.scope, ownerId, name, day, delta);
    buffer.add(this.scope, ownerId, name, ALL, delta);
    buffer.add(this.scope, buffer.shard, name, day, delta);
    buffer.add(this.scope, buffer.shard, name, this.day!.month, delta);
  }

  /**
   * Counts `delta` of an all-time figure `name` under `key` (`all`, or a
   * breakdown key such as `s:newsletter`), for `ownerId` when given and for
   * the program.
   */
  tallyTotal(tx: StoreTransaction, ownerId: string | null, name: string, key: string, delta: number): void {
    const buffer = this.buffer(tx);
    if (ownerId !== null) buffer.add(this.scope, ownerId, name, key, delta);
    buffer.add(this.scope, buffer.shard, name, key, delta);
  }

  /** Counts `delta` of counter `name` in `period` for `ownerId` alone (no program figure). */
  tallyOwner(tx: StoreTransaction, ownerId: string, name: string, period: string, delta: number): void {
    this.buffer(tx).add(this.scope, ownerId, name, period, delta);
  }

  /**
   * Counts a referral entering status `to` (from `from`, or as a new
   * referral): the status totals, the day's sign-up, qualification or
   * rejection, and the channel (`s:`) and country (`c:`) breakdowns of
   * sign-ups and qualifications.
   */
  tallyReferral(tx: StoreTransaction, referral: ReferralRecord, from: ReferralStatus | null, to: ReferralStatus): void {
    const owner = referral.referrerId;
    if (from !== null) this.tallyTotal(tx, owner, STATUS_COUNTER, from, -1);
    this.tallyTotal(tx, owner, STATUS_COUNTER, to, 1);
    const event = from === null ? 'signups' : to === 'qualified' ? 'qualified' : to === 'rejected' ? 'rejected' : null;
    if (event === null) return;
    this.tally(tx, owner, event, 1);
    if (event === 'rejected') return;
    this.tallyTotal(tx, owner, breakdownName(event), `s:${referral.source ?? ''}`, 1);
    this.tallyTotal(tx, owner, breakdownName(event), `c:${referral.country ?? ''}`, 1);
  }

  /**
   * Writes a domain event to the outbox with the transaction (unless the
   * program turned the outbox off). `subjectId` is the participant it
   * concerns; delivery keeps the order per subject.
   */
  emit(tx: StoreTransaction, type: DomainEventType, subjectId: string, entityType: AuditEntityType, entityId: string, data: Record<string, unknown>): void {
    if (!this.program.outbox.enabled) return;
    const events = this.events.get(tx);
    if (!events) throw new Error('Events are emitted inside EngineContext.run only');
    const now = this.clock.now();
    events.push({
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
    tx: StoreTransaction,
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
      this.emit(tx, action as DomainEventType, fields.notify, entityType, entityId, data);
    }
    await tx.audit.append({
      programId: this.scope.programId, mode: this.scope.mode,
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
      at: this.clock.now(),
    });
  }

  /**
   * Writes ledger entries, one per non-zero move, and adds the same amounts
   * to the account's balance row in the same transaction, so a balance
   * always equals the sum of its entries.
   */
  async post(tx: StoreTransaction, postings: Posting[]): Promise<void> {
    const at = this.clock.now();
    const entries: LedgerEntryRecord[] = [];
    for (const p of postings) {
      const deltas: Partial<Record<Bucket, number>> = {};
      for (const [bucket, amount] of Object.entries(p.moves) as [Bucket, number][]) {
        if (amount === 0) continue;
        deltas[bucket] = amount;
        entries.push({
          programId: this.scope.programId, mode: this.scope.mode,
          id: newId('led'),
          accountId: p.accountId,
          bucket,
          amount,
          kind: p.kind,
          commissionId: p.commissionId ?? null,
          payoutId: p.payoutId ?? null,
          sourceType: p.sourceType,
          sourceId: p.sourceId,
          actor: p.actor,
          reason: p.reason ?? null,
          at,
        });
      }
      if (Object.keys(deltas).length > 0) await tx.balances.add(this.scope, p.accountId, deltas, at);
      this.tallyPosting(tx, p.accountId, p.kind, deltas);
    }
    if (entries.length > 0) await tx.ledger.append(entries);
  }

  /** The statistics of one posting: the program's bucket totals, and the daily flow its kind stands for. */
  private tallyPosting(tx: StoreTransaction, accountId: string, kind: LedgerEntryKind, deltas: Partial<Record<Bucket, number>>): void {
    let net = 0;
    for (const [bucket, amount] of Object.entries(deltas) as [Bucket, number][]) {
      net += amount;
      this.tallyTotal(tx, null, `bucket.${bucket}`, ALL, amount);
    }
    switch (kind) {
      case 'accrual':
        return this.tally(tx, accountId, 'earned', net);
      case 'reversal':
      case 'rejection':
        // Accrued in a period is earned plus reversed: one metric fewer to write.
        this.tally(tx, accountId, 'earned', net);
        return this.tally(tx, accountId, 'reversed', -net);
      case 'approval':
        return this.tally(tx, accountId, 'approved', deltas.withdrawable ?? 0);
      case 'payout_request':
        return this.tally(tx, accountId, 'requested', deltas.requested ?? 0);
      case 'payout_paid':
        return this.tally(tx, accountId, 'paid', deltas.paid ?? 0);
      default:
        return;
    }
  }
}
