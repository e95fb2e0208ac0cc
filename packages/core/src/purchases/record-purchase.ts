import { accrualFindings, rejectAtAccrual, writeSetOf } from '../accrual/accrue';
import { type AccrualSubject, accrualCounters, accrualLine, type SkipReason } from '../accrual/decide';
import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { GuardLost, LockNeeded, runGuarded } from '../engine/guarded';
import { CurrencyMismatchError, IdempotencyConflictError, RefundExceedsPurchaseError } from '../errors/errors';
import { hasOwnRules } from '../fraud/rules';
import { hashSignals } from '../fraud/signals';
import { bucketOf } from '../ledger/buckets';
import { post } from '../ledger/post';
import { proportion } from '../money/rounding';
import type { CommissionRecord, CommissionStatus, SourceEventRecord } from '../store/records';
import type { AccrualQuery } from '../store/repositories/accruals';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import { decidePurchase, type PurchaseFacts, purchaseEvent } from './decide-purchase';
import { type RecordPurchaseInput, type RecordReversalInput, recordPurchaseInputSchema, recordReversalInputSchema } from './inputs';
import { payloadHash } from './payload-hash';

/** Why a purchase, refund or chargeback was not recorded. */
export type IgnoredReason = 'NO_REFERRAL' | 'REFERRAL_REJECTED' | 'UNKNOWN_PURCHASE';

export type PurchaseResult =
  | {
      status: 'recorded';
      /** True when this was a redelivery: the stored result is returned and nothing changed. */
      replayed: boolean;
      eventId: string;
      referralId: string;
      /** This purchase qualified the referral. */
      qualified: boolean;
      /** Commission lines created by this purchase (their current state on a replay). */
      commissions: CommissionRecord[];
      /** Lines that would have been due but were not created, and why. */
      skipped: { kind: string; reason: SkipReason }[];
    }
  | { status: 'ignored'; reason: IgnoredReason; message: string };

export type ReversalResult =
  | {
      status: 'recorded';
      replayed: boolean;
      eventId: string;
      purchaseEventId: string;
      /** How much of each commission of the purchase this event reversed. */
      reversals: { commissionId: string; amount: number }[];
    }
  | { status: 'ignored'; reason: IgnoredReason; message: string };

function checkReplay(existing: SourceEventRecord, hash: string): void {
  if (existing.payloadHash !== hash) throw new IdempotencyConflictError(existing.kind, existing.eventId);
}

/**
 * Records a referee's successful payment. The first one qualifies a pending
 * referral (unless the program qualifies on sign-up); commissions accrue by
 * the program's rules. Idempotent by `eventId`, forever.
 *
 * Read → decide → apply: one read (`accruals.read`) returns the stored event
 * (a redelivery is answered from it), the referral, its referrer with its
 * version and the counters the rules read; `decidePurchase` turns them into
 * a write set without I/O; `accruals.apply` writes it only if the referrer's
 * version is unchanged, else the call reads and decides again (`runGuarded`).
 */
export async function recordPurchase(ctx: EngineContext, input: RecordPurchaseInput): Promise<PurchaseResult> {
  const data = parse(recordPurchaseInputSchema, input);
  if (data.currency !== ctx.program.currency) throw new CurrencyMismatchError(ctx.program.currency, data.currency);
  const purchase: PurchaseFacts = {
    eventId: data.eventId,
    amount: data.amount,
    productId: data.productId ?? null,
    occurredAt: data.occurredAt,
    payloadHash: payloadHash({ ...data, occurredAt: data.occurredAt.toISOString() }),
    hashes: hashSignals(ctx, { paymentFingerprint: data.paymentFingerprint }),
  };
  const { scope } = ctx;
  const counters = accrualCounters(ctx.program, data.occurredAt);
  const query: AccrualQuery = {
    refereeId: data.refereeId,
    event: { kind: 'purchase', eventId: data.eventId },
    counters: counters.query,
    bonuses: counters.qualified !== null,
  };

  return runGuarded(
    ctx,
    async (work, locked): Promise<PurchaseResult> => {
      let facts = await work.tx.accruals.read(scope, query);
      if (facts.event) return replayOf(facts.event, purchase.payloadHash);
      if (!facts.referral) return { status: 'ignored', reason: 'NO_REFERRAL', message: `User "${data.refereeId}" was not referred; nothing is recorded.` };
      if (locked) {
        // Serialise all work on this referrer, then read everything fresh: a racing delivery may have committed meanwhile.
        await work.tx.participants.get(scope, facts.referral.referrerId, { forUpdate: true });
        facts = await work.tx.accruals.read(scope, query);
        if (facts.event) return replayOf(facts.event, purchase.payloadHash);
      }
      const referral = facts.referral!;
      if (referral.status === 'rejected') {
        return { status: 'ignored', reason: 'REFERRAL_REJECTED', message: `The referral of "${data.refereeId}" was rejected; nothing is recorded.` };
      }
      if (!facts.referrer) throw new Error(`Referrer ${referral.referrerId} of referral ${referral.id} is missing`);
      const subject: AccrualSubject = {
        referral,
        referrer: facts.referrer,
        counters: facts.counters,
        referralInReview: facts.referralInReview,
        bonusEventIds: facts.bonusEventIds,
      };
      const event = purchaseEvent(purchase);
      const line = accrualLine(ctx.program, counters, subject, event);
      const { findings, readSignals } = await accrualFindings(work, subject, event, line?.due ? line.amount : 0);
      const writes = writeSetOf(work);
      const outcome = decidePurchase(writes, ctx.program, counters, subject, purchase, line, findings);
      if (outcome.rejected) {
        // A fraud rule rejected the referral: that is committed, under the referrer's lock; the purchase itself is not recorded.
        if (!locked) throw new LockNeeded();
        await rejectAtAccrual(work, outcome, outcome.rejected, data.eventId);
        return {
          status: 'ignored',
          reason: 'REFERRAL_REJECTED',
          message: `The referral of "${data.refereeId}" was rejected (${outcome.rejected.map((f) => f.reason).join(', ')}); nothing is recorded.`,
        };
      }
      // A purchase that neither reads nor changes the referrer's standing (no counter read, no fraud rule that asked
      // the store, no qualification) guards its referral alone and only checks the referrer, so the referrer's other
      // referees' purchases apply side by side; any other guards the referrer exclusively.
      const guard = {
        scope,
        participantId: referral.referrerId,
        version: facts.referrerVersion,
        exclusive: locked || counters.query.length > 0 || readSignals || outcome.qualified,
        referral: { id: referral.id, version: facts.referralVersion },
      };
      if (!(await work.tx.accruals.apply(writes.build(guard)))) {
        if (locked) throw new Error(`onehop: the store lost the guard of participant ${referral.referrerId}, which this transaction holds locked`);
        throw new GuardLost(referral.referrerId);
      }
      return {
        status: 'recorded',
        replayed: false,
        eventId: data.eventId,
        referralId: referral.id,
        qualified: outcome.qualified,
        commissions: outcome.commissions,
        skipped: outcome.skipped,
      };
    },
    // A racing delivery of the same event committed first: run again to replay it.
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.sourceEvent ? 'retry' : error),
    // A fraud rule of the program's own may read anything (the store, an outside service): its purchases lock the referrer first, as refunds do.
    hasOwnRules(ctx.rules),
  );
}

/** The answer to a redelivery: the stored event's result and its lines as they are now; a different payload under the same id is a conflict. */
function replayOf(stored: { event: SourceEventRecord; commissions: CommissionRecord[] }, hash: string): PurchaseResult {
  checkReplay(stored.event, hash);
  const r = stored.event.result;
  return {
    status: 'recorded',
    replayed: true,
    eventId: stored.event.eventId,
    referralId: String(r.referralId),
    qualified: Boolean(r.qualified),
    commissions: stored.commissions,
    skipped: (r.skipped as { kind: string; reason: SkipReason }[]) ?? [],
  };
}

/**
 * Records a refund or a chargeback of a purchase. Each commission line of the
 * purchase is reversed by the cumulative share refunded:
 * `round(C × refundedSoFar / P) − alreadyReversed`, so a full refund nets to
 * exactly zero and the total reversed never exceeds the commission.
 * Milestone bonuses are not reversed; the referral stays qualified.
 */
export async function recordReversal(ctx: EngineContext, kind: 'refund' | 'chargeback', input: RecordReversalInput): Promise<ReversalResult> {
  const data = parse(recordReversalInputSchema, input);
  const occurredAt = data.occurredAt ?? ctx.clock.now();
  const hash = payloadHash({ ...data, occurredAt: data.occurredAt?.toISOString() ?? null });
  const { scope } = ctx;
  const rounding = ctx.program.commission?.rounding ?? 'half_even';

  return ctx.run(
    async (work): Promise<ReversalResult> => {
      const found = await work.tx.events.get(scope, 'purchase', data.purchaseEventId);
      if (!found) {
        const existing = await work.tx.events.get(scope, kind, data.eventId);
        if (existing) checkReplay(existing, hash);
        return {
          status: 'ignored',
          reason: 'UNKNOWN_PURCHASE',
          message: `No commissionable purchase "${data.purchaseEventId}" was recorded; nothing is reversed.`,
        };
      }
      if (found.referrerId) await work.tx.participants.get(scope, found.referrerId, { forUpdate: true });
      const existing = await work.tx.events.get(scope, kind, data.eventId);
      if (existing) {
        checkReplay(existing, hash);
        return {
          status: 'recorded',
          replayed: true,
          eventId: data.eventId,
          purchaseEventId: data.purchaseEventId,
          reversals: (existing.result.reversals as { commissionId: string; amount: number }[]) ?? [],
        };
      }
      const purchase = (await work.tx.events.get(scope, 'purchase', data.purchaseEventId)) ?? found;
      const remaining = purchase.amount - purchase.reversedAmount;
      if (data.amount > remaining) throw new RefundExceedsPurchaseError(purchase.eventId, remaining);
      const reversedSoFar = purchase.reversedAmount + data.amount;
      const now = ctx.clock.now();

      const reversals: { commissionId: string; amount: number }[] = [];
      for (const listed of await work.tx.commissions.listBySource(scope, purchase.eventId)) {
        if (listed.kind === 'milestone_bonus') continue;
        const c = (await work.tx.commissions.get(scope, listed.id, { forUpdate: true })) ?? listed;
        const bucket = bucketOf(c.status);
        if (bucket === null) continue;
        const target = proportion(c.amount, reversedSoFar, purchase.amount, rounding);
        const delta = target - c.reversedAmount;
        if (delta <= 0) continue;
        await post(work, [
          { accountId: c.beneficiaryId, moves: { [bucket]: -delta }, kind: 'reversal', commissionId: c.id, sourceType: kind, sourceId: data.eventId, actor: SYSTEM },
        ]);
        const status: CommissionStatus = target === c.amount ? 'reversed' : c.status;
        await work.tx.commissions.update(scope, c.id, { reversedAmount: target, status, updatedAt: now, ...(status !== c.status ? { statusReason: kind } : {}) });
        if (status !== c.status) {
          await work.audit('commission', c.id, 'commission.reversed', SYSTEM, { before: c.status, after: status, reason: kind, sourceEvent: data.eventId });
        }
        // Every reversal is an event, partial ones included (the audit trail records only the change of status).
        work.emit('commission.reversed', c.beneficiaryId, 'commission', c.id, {
          amount: delta,
          reversedAmount: target,
          partial: status !== 'reversed',
          reason: kind,
          sourceEvent: data.eventId,
        });
        reversals.push({ commissionId: c.id, amount: delta });
      }
      await work.tx.events.update(scope, 'purchase', purchase.eventId, { reversedAmount: reversedSoFar });
      await work.tx.events.insert({
        programId: scope.programId,
        mode: scope.mode,
        kind,
        eventId: data.eventId,
        payloadHash: hash,
        referralId: purchase.referralId,
        referrerId: purchase.referrerId,
        refereeId: purchase.refereeId,
        amount: data.amount,
        reversedAmount: 0,
        relatedEventId: purchase.eventId,
        result: { reversals },
        occurredAt,
        recordedAt: now,
      });
      return { status: 'recorded', replayed: false, eventId: data.eventId, purchaseEventId: purchase.eventId, reversals };
    },
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.sourceEvent ? 'retry' : error),
  );
}
