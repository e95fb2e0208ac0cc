/*
 * The replay of a plan dry-run, without I/O: recorded purchases, refunds,
 * chargebacks, reinstatements and cancellations decided again, in the order
 * the engine decided them, by the pure decide step (`decidePurchase`) under
 * a candidate configuration, with the state those decisions read (tier, cap
 * and qualified counters, milestone bonuses, each referral's purchases and
 * status, each purchase's lines and what refunds took of them) kept in memory.
 */
import { type AccrualSubject, accrualCounters, accrualLine } from '../accrual/decide';
import type { ProgramConfig } from '../config/program';
import { dayKey, monthOfDay } from '../counters/stats';
import { WriteSetBuilder } from '../engine/write-set-builder';
import type { TargetedFinding } from '../fraud/rules';
import type { RoundingMode } from '../money/rounding';
import { decidePurchase, type PurchaseFacts, purchaseEvent } from '../purchases/decide-purchase';
import { reversedShare } from '../purchases/reverse-commissions';
import { detailsOf } from '../purchases/source-event';
import type { CommissionKind, ParticipantRecord, ReferralRecord, Scope, SourceEventKind, SourceEventRecord } from '../store/records';

/** One line the replay decided: whose it is, how much, and how much of it reversals took back. */
interface ReplayedLine {
  kind: CommissionKind;
  beneficiaryId: string;
  amount: number;
  reversed: number;
  /** The rounding the line was made with (its group's), which its reversals use too. */
  rounding: RoundingMode;
}

/** A replayed purchase: its amount and what reversals took of it (its currency), and its lines. */
interface ReplayedPurchase {
  amount: number;
  reversed: number;
  lines: ReplayedLine[];
}

/** What the replay reports for each amount it moves: whose money, how much (negative for a reversal), and the event that moved it. */
export type ReplayMove = (beneficiaryId: string, amount: number, event: SourceEventRecord) => void;

/** The skip reasons the rules give; any other in a recorded answer is a fraud rule's, which the replay keeps. */
const RULE_SKIPS = new Set(['CAP_REACHED', 'ZERO_AMOUNT', 'REFERRER_SUSPENDED', 'NO_COMMISSION_RULE', 'NOT_IN_SCOPE']);

const KIND_ORDER: Record<SourceEventKind, number> = { purchase: 0, refund: 1, chargeback: 2, reinstatement: 3, cancellation: 4, bonus: 5 };

/** The order the engine decided events in: when recorded, then when they occurred, then kind and event id. */
export const replayOrder = (a: SourceEventRecord, b: SourceEventRecord): number =>
  a.recordedAt.getTime() - b.recordedAt.getTime() ||
  a.occurredAt.getTime() - b.occurredAt.getTime() ||
  KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
  (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * Decides recorded events again under `program`. Facts no configuration
 * changes are taken from what was recorded: the referral (who referred whom,
 * when), whether the referrer was suspended and which lines a fraud rule
 * refused (from the event's answer), and the amount each reversal applied.
 */
export class PlanReplay {
  private readonly counters = new Map<string, number>();
  /** Each referrer's bonus events (milestones and bounties) so far, as the live read lists them. */
  private readonly bonuses = new Map<string, string[]>();
  private readonly referralStates = new Map<string, ReferralRecord>();
  private readonly purchases = new Map<string, ReplayedPurchase>();
  /** What each chargeback took from each line of its purchase, for a reinstatement to give back. */
  private readonly chargebacks = new Map<string, { purchaseId: string; applied: number; taken: Map<ReplayedLine, number> }>();
  /** Reversals recorded before their purchase, applied right after it, as the engine did. */
  private readonly waiting = new Map<string, SourceEventRecord[]>();

  constructor(
    private readonly program: ProgramConfig,
    private readonly scope: Scope,
    /** The referrals of the events, as stored. */
    private readonly referrals: ReadonlyMap<string, ReferralRecord>,
    /** The referrers of the events, as stored. */
    private readonly referrers: ReadonlyMap<string, ParticipantRecord>,
    private readonly move: ReplayMove,
  ) {}

  /** Replays `events`, sorted by `replayOrder`. */
  replay(events: readonly SourceEventRecord[]): void {
    for (const event of events) this.decide(event);
  }

  private decide(event: SourceEventRecord): void {
    switch (event.kind) {
      case 'purchase':
        return this.purchase(event);
      case 'refund':
      case 'chargeback':
        return this.reversal(event);
      case 'reinstatement':
        return this.reinstatement(event);
      case 'cancellation':
        return this.cancellation(event);
      case 'bonus':
        return;
    }
  }

  private purchase(event: SourceEventRecord): void {
    const stored = event.referralId === null ? undefined : this.referrals.get(event.referralId);
    const storedReferrer = event.referrerId === null ? undefined : this.referrers.get(event.referrerId);
    if (!stored || !storedReferrer) return;
    const details = detailsOf(event);
    const skipped = (event.result.skipped as { kind: string; reason: string }[] | undefined) ?? [];
    const referral = this.referralStates.get(stored.id) ?? initialReferral(stored, event);
    const referrer: ParticipantRecord = { ...storedReferrer, status: skipped.some((s) => s.reason === 'REFERRER_SUSPENDED') ? 'suspended' : 'active' };
    const findings: TargetedFinding[] = skipped
      .filter((s) => s.kind === 'referral' && !RULE_SKIPS.has(s.reason))
      .map((s) => ({ rule: 'recorded', action: 'reject', reason: s.reason, details: {}, target: 'commission' }));
    const counters = accrualCounters(this.program, event.occurredAt);
    const owner = referral.referrerId;
    const subject: AccrualSubject = {
      referral,
      referrer,
      counters: counters.query.map((c) => this.counters.get(counterKey(owner, c.name, c.period)) ?? 0),
      referralInReview: false,
      bonusEventIds: this.bonuses.get(owner) ?? [],
    };
    const purchase: PurchaseFacts = {
      eventId: event.eventId,
      amount: details?.programAmount ?? event.amount,
      productId: details?.productId ?? null,
      // What reward conditions test, as the purchase gave them (a purchase recorded before planId was kept has none).
      planId: details?.planId ?? null,
      metadata: details?.metadata ?? null,
      occurredAt: event.occurredAt,
      payloadHash: event.payloadHash,
      hashes: { ip: null, device: null, payment: null },
      ...(details ? { details } : {}),
    };
    const day = dayKey(event.recordedAt, this.program.timeZone);
    const writes = new WriteSetBuilder(this.scope, false, { now: () => event.recordedAt, currentDay: () => ({ key: day, month: monthOfDay(day) }) });
    const line = accrualLine(this.program, counters, subject, purchaseEvent(purchase));
    const outcome = decidePurchase(writes, this.program, counters, subject, purchase, line, findings);
    for (const c of writes.stats.take())
      this.counters.set(counterKey(c.ownerId, c.name, c.period), (this.counters.get(counterKey(c.ownerId, c.name, c.period)) ?? 0) + c.value);
    for (const row of writes.rows.events) {
      if (row.kind !== 'bonus' || row.referrerId === null) continue;
      const owned = this.bonuses.get(row.referrerId);
      if (owned) owned.push(row.eventId);
      else this.bonuses.set(row.referrerId, [row.eventId]);
    }
    this.referralStates.set(stored.id, outcome.referral);
    const replayed: ReplayedPurchase = { amount: event.amount, reversed: 0, lines: [] };
    for (const c of outcome.commissions) {
      replayed.lines.push({ kind: c.kind, beneficiaryId: c.beneficiaryId, amount: c.amount, reversed: 0, rounding: c.calculation.rounding as RoundingMode });
      this.move(c.beneficiaryId, c.amount, event);
    }
    this.purchases.set(event.eventId, replayed);
    for (const kept of this.waiting.get(event.eventId) ?? []) this.reversal(kept);
    this.waiting.delete(event.eventId);
  }

  private reversal(event: SourceEventRecord): void {
    if (event.result.pending === true || event.relatedEventId === null) return;
    const purchase = this.purchases.get(event.relatedEventId);
    if (!purchase) {
      const kept = this.waiting.get(event.relatedEventId) ?? [];
      kept.push(event);
      this.waiting.set(event.relatedEventId, kept);
      return;
    }
    const applied = Math.min(Number(event.result.applied ?? 0), purchase.amount - purchase.reversed);
    const taken = this.reverse(purchase, applied, event);
    if (event.kind === 'chargeback') this.chargebacks.set(event.eventId, { purchaseId: event.relatedEventId, applied, taken });
  }

  private reinstatement(event: SourceEventRecord): void {
    const chargeback = event.relatedEventId === null ? undefined : this.chargebacks.get(event.relatedEventId);
    const purchase = chargeback && this.purchases.get(chargeback.purchaseId);
    if (!chargeback || !purchase) return;
    for (const [line, amount] of chargeback.taken) {
      const back = Math.min(amount, line.reversed);
      if (back <= 0) continue;
      line.reversed -= back;
      this.move(line.beneficiaryId, back, event);
    }
    purchase.reversed -= Math.min(chargeback.applied, purchase.reversed);
    chargeback.taken.clear();
  }

  private cancellation(event: SourceEventRecord): void {
    const purchase = event.relatedEventId === null ? undefined : this.purchases.get(event.relatedEventId);
    if (!purchase || this.program.subscriptions.onCancel !== 'reverse_current_period') return;
    this.reverse(purchase, purchase.amount - purchase.reversed, event);
  }

  /** Reverses `amount` more of a purchase, line by line by the cumulative share (`reversedShare`); what it took of each line. */
  private reverse(purchase: ReplayedPurchase, amount: number, event: SourceEventRecord): Map<ReplayedLine, number> {
    const taken = new Map<ReplayedLine, number>();
    if (amount <= 0) return taken;
    purchase.reversed += amount;
    for (const line of purchase.lines) {
      if (line.kind === 'milestone_bonus') continue;
      const target = reversedShare(line.amount, purchase.reversed, purchase.amount, line.rounding);
      const delta = target - line.reversed;
      if (delta <= 0) continue;
      line.reversed = target;
      taken.set(line, delta);
      this.move(line.beneficiaryId, -delta, event);
    }
    return taken;
  }
}

const counterKey = (owner: string, name: string, period: string) => `${owner}\u0000${name}\u0000${period}`;

/**
 * A referral as it stood before its first replayed purchase: no purchases
 * yet, and qualified only if it was qualified before that purchase without
 * it (at sign-up).
 */
function initialReferral(stored: ReferralRecord, first: SourceEventRecord): ReferralRecord {
  const qualifiedBefore = stored.qualifiedAt !== null && first.result.qualified !== true && stored.qualifiedAt.getTime() <= first.recordedAt.getTime();
  return {
    ...stored,
    status: qualifiedBefore ? 'qualified' : 'pending',
    qualifiedAt: qualifiedBefore ? stored.qualifiedAt : null,
    purchaseCount: 0,
    revenue: 0,
  };
}
