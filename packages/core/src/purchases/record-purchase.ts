// Over 300 lines: a purchase and its reversals share the replay, the source-event rows and the applying of reversals kept before their purchase.
import { accrualFindings, rejectAtAccrual, writeSetOf } from '../accrual/accrue';
import { type AccrualSubject, accrualCounters, accrualLine, type SkipReason } from '../accrual/decide';
import { ATTRIBUTION_RACE } from '../attribution/attribute';
import type { ProgramConfig } from '../config/program';
import { type EngineContext, parse } from '../engine/context';
import { GuardLost, LockNeeded, runGuarded } from '../engine/guarded';
import type { Work } from '../engine/work';
import { IdempotencyConflictError, RefundExceedsPurchaseError, ValidationError } from '../errors/errors';
import { hasOwnRules } from '../fraud/rules';
import { hashSignals } from '../fraud/signals';
import type { CommissionRecord, Scope, SourceEventDetails, SourceEventRecord } from '../store/records';
import type { AccrualFacts, AccrualQuery } from '../store/repositories/accruals';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import { convertAtPurchaseRate, convertPurchase } from './conversion';
import { decidePurchase, type PurchaseFacts, purchaseEvent } from './decide-purchase';
import { type RecordPurchaseInput, type RecordReversalInput, recordPurchaseInputSchema, recordReversalInputSchema } from './inputs';
import { payloadHash } from './payload-hash';
import { type PreparedPromoCode, type PromoCodeResult, preparePromoCode, redeemPromoCode } from './promo-code';
import { reverseCommissions } from './reverse-commissions';
import { detailsOf, insertSourceEvent } from './source-event';

/**
 * Why a purchase, refund or chargeback earned nothing: `NO_REFERRAL`,
 * `REFERRAL_REJECTED`, `UNKNOWN_PURCHASE` and `SUBSCRIPTION_CANCELLED` (a
 * payment of a subscription after its cancellation) record nothing.
 * `PROMO_CODE_REFUSED` (the buyer had no referral and the purchase's promo
 * code could not make one; `promoCode` says why) keeps the purchase without a
 * referral, so a redelivery answers the same and its refunds are recorded
 * against it; nothing else is written but the audit line of the refusal.
 */
export type IgnoredReason = 'NO_REFERRAL' | 'REFERRAL_REJECTED' | 'UNKNOWN_PURCHASE' | 'PROMO_CODE_REFUSED' | 'SUBSCRIPTION_CANCELLED';

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
      /** What the purchase's `promoCode` did; present only when it carried one. */
      promoCode?: PromoCodeResult;
    }
  | {
      status: 'ignored';
      reason: IgnoredReason;
      message: string;
      /** What the purchase's `promoCode` did; present only when it carried one. */
      promoCode?: PromoCodeResult;
    };

export type ReversalResult =
  | {
      status: 'recorded';
      replayed: boolean;
      eventId: string;
      purchaseEventId: string;
      /** How much of each commission of the purchase this event reversed. */
      reversals: { commissionId: string; amount: number }[];
    }
  /** Recorded before its purchase (`waitForPurchase`): it is applied when the purchase is recorded. */
  | { status: 'pending'; replayed: boolean; eventId: string; purchaseEventId: string; message: string }
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
 * version, the counters the rules read and the refunds kept before the
 * purchase that wait for it; `decidePurchase` turns them into
 * a write set without I/O; `accruals.apply` writes it only if the referrer's
 * version is unchanged, else the call reads and decides again (`runGuarded`).
 */
export async function recordPurchase(ctx: EngineContext, input: RecordPurchaseInput): Promise<PurchaseResult> {
  const data = parse(recordPurchaseInputSchema, input);
  // A foreign currency's rate, asked before anything is read: the provider may be slow or fail, and then nothing is recorded.
  const money = await convertPurchase(ctx, data.amount, data.currency, data.occurredAt);
  const details: SourceEventDetails = {
    currency: data.currency,
    ...money,
    productId: data.productId ?? null,
    planId: data.planId ?? null,
    subscriptionId: data.subscriptionId ?? null,
    metadata: data.metadata ?? null,
  };
  const hashes = hashSignals(ctx, { paymentFingerprint: data.paymentFingerprint });
  const promo: PreparedPromoCode | null = data.promoCode === undefined ? null : preparePromoCode(ctx, { ...data, promoCode: data.promoCode }, hashes);
  const purchase: PurchaseFacts = {
    eventId: data.eventId,
    amount: money.programAmount,
    productId: data.productId ?? null,
    planId: data.planId ?? null,
    metadata: data.metadata ?? null,
    occurredAt: data.occurredAt,
    // The code in normal form: the same code typed another way is the same payload. The hash's
    // JSON writes occurredAt as its ISO text (Date's toJSON), so the input is hashed as it is.
    payloadHash: payloadHash(promo ? { ...data, promoCode: promo.code } : data),
    hashes,
    details,
    resultExtras: {},
  };
  const { scope } = ctx;
  const counters = accrualCounters(ctx.program, data.occurredAt);
  const query: AccrualQuery = {
    refereeId: data.refereeId,
    event: { kind: 'purchase', eventId: data.eventId },
    counters: counters.query,
    bonuses: counters.bonuses,
  };

  return runGuarded(
    ctx,
    async (work, locked, lockedReferrer): Promise<PurchaseResult> => {
      // After an optimistic attempt (its guard lost, or it needed the lock) the referrer is known: it is locked before the read, which then need not run twice.
      if (lockedReferrer !== undefined) await work.tx.participants.get(scope, lockedReferrer, { forUpdate: true });
      let facts = await work.tx.accruals.read(scope, query);
      if (facts.event) return replayOf(facts.event, purchase.payloadHash);
      if (data.subscriptionId !== undefined) {
        const cancelled = await work.tx.events.get(scope, 'cancellation', data.subscriptionId);
        if (cancelled && data.occurredAt > cancelled.occurredAt) {
          return {
            status: 'ignored',
            reason: 'SUBSCRIPTION_CANCELLED',
            message: `Subscription "${data.subscriptionId}" was cancelled before this payment; it earns nothing and nothing is recorded.`,
          };
        }
      }
      // The promo code, before anything accrues: it may refer a buyer who has no referral yet (a purchase with a promo code runs locked).
      const redeemed = promo ? await redeemPromoCode(work, promo, facts.referral, data.eventId) : null;
      const promoCode = redeemed ? { promoCode: redeemed.result } : {};
      if (redeemed?.result.outcome === 'refused') {
        const message = `The promo code "${redeemed.result.code}" was refused (${redeemed.result.reason}); the purchase is kept without a referral and earns nothing.`;
        await insertSourceEvent(work, {
          kind: 'purchase',
          eventId: data.eventId,
          payloadHash: purchase.payloadHash,
          referralId: null,
          referrerId: null,
          refereeId: data.refereeId,
          amount: data.amount,
          relatedEventId: null,
          result: { referralId: null, message, ...promoCode, details },
          occurredAt: data.occurredAt,
        });
        return { status: 'ignored', reason: 'PROMO_CODE_REFUSED', message, ...promoCode };
      }
      if (redeemed && !facts.referral) facts = await work.tx.accruals.read(scope, query);
      if (!facts.referral) return { status: 'ignored', reason: 'NO_REFERRAL', message: `User "${data.refereeId}" was not referred; nothing is recorded.` };
      // Refunds and chargebacks that arrived before this purchase (waitForPurchase; the read lists them): applying them needs the referrer's lock.
      if (waitingFor(facts).length > 0 && !locked) throw new LockNeeded(facts.referral.referrerId);
      if (locked && facts.referral.referrerId !== lockedReferrer) {
        // Serialise all work on this referrer, then read everything fresh: a racing delivery may have committed meanwhile.
        await work.tx.participants.get(scope, facts.referral.referrerId, { forUpdate: true });
        facts = await work.tx.accruals.read(scope, query);
        if (facts.event) return replayOf(facts.event, purchase.payloadHash);
      }
      const waiting = waitingFor(facts);
      const referral = facts.referral!;
      if (referral.status === 'rejected') {
        return { status: 'ignored', reason: 'REFERRAL_REJECTED', message: `The referral of "${data.refereeId}" was rejected; nothing is recorded.`, ...promoCode };
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
      purchase.resultExtras = promoCode;
      const outcome = decidePurchase(writes, ctx.program, counters, subject, purchase, line, findings);
      if (outcome.rejected) {
        // A fraud rule rejected the referral: that is committed, under the referrer's lock; the purchase itself is not recorded.
        if (!locked) throw new LockNeeded(referral.referrerId);
        await rejectAtAccrual(work, outcome, outcome.rejected, data.eventId);
        return {
          status: 'ignored',
          reason: 'REFERRAL_REJECTED',
          message: `The referral of "${data.refereeId}" was rejected (${outcome.rejected.map((f) => f.reason).join(', ')}); nothing is recorded.`,
          ...promoCode,
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
      const applied = await work.tx.accruals.apply(writes.build(guard));
      if (!applied && locked) throw new Error(`onehop: the store lost the guard of participant ${referral.referrerId}, which this transaction holds locked`);
      if (!applied) throw new GuardLost(referral.referrerId);
      if (waiting.length > 0) {
        const stored = await work.tx.events.get(scope, 'purchase', data.eventId);
        if (stored) for (const row of waiting) await applyWaiting(work, stored, row);
      }
      return {
        status: 'recorded',
        replayed: false,
        eventId: data.eventId,
        referralId: referral.id,
        qualified: outcome.qualified,
        commissions: outcome.commissions,
        skipped: outcome.skipped,
        ...promoCode,
      };
    },
    // A racing delivery of the same event committed first: run again to replay it. Another
    // delivery's promo code referred the buyer first: run again, which finds their referral.
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.sourceEvent ? 'retry' : ATTRIBUTION_RACE(error)),
    // A fraud rule of the program's own may read anything (the store, an outside service), and a promo code may refer
    // the buyer first: such purchases lock the referrer first, as refunds do.
    hasOwnRules(ctx.rules) || promo !== null,
  );
}

/** The refunds and chargebacks kept before the purchase (`waitForPurchase`) that it must apply: those still pending. */
const waitingFor = (facts: AccrualFacts): SourceEventRecord[] => facts.relatedReversals.filter((e) => e.result.pending === true);

/** The answer to a redelivery: the stored event's result and its lines as they are now; a different payload under the same id is a conflict. */
function replayOf(stored: { event: SourceEventRecord; commissions: CommissionRecord[] }, hash: string): PurchaseResult {
  checkReplay(stored.event, hash);
  const r = stored.event.result;
  const promoCode = r.promoCode === undefined ? {} : { promoCode: r.promoCode as PromoCodeResult };
  if (stored.event.referralId === null) return { status: 'ignored', reason: 'PROMO_CODE_REFUSED', message: String(r.message), ...promoCode };
  return {
    status: 'recorded',
    replayed: true,
    eventId: stored.event.eventId,
    referralId: String(r.referralId),
    qualified: Boolean(r.qualified),
    commissions: stored.commissions,
    skipped: (r.skipped as { kind: string; reason: SkipReason }[]) ?? [],
    ...promoCode,
  };
}

/**
 * Records a refund or a chargeback of a purchase: each of its commission
 * lines is reversed by the share refunded (see `reverseCommissions`). A
 * refund may give the purchase's refunded total instead of its amount
 * (`refundedTotal`): it reverses what the refunds recorded before do not
 * cover. A chargeback whose dispute was already won (`reinstateChargeback`
 * came first) reverses nothing. With `waitForPurchase`, a reversal of a
 * purchase not recorded yet is kept and applied when the purchase is
 * recorded (or when this call is repeated after it).
 */
export async function recordReversal(ctx: EngineContext, kind: 'refund' | 'chargeback', input: RecordReversalInput): Promise<ReversalResult> {
  const data = parse(recordReversalInputSchema, input);
  const occurredAt = data.occurredAt ?? ctx.clock.now();
  const hash = payloadHash({ ...data, occurredAt: data.occurredAt?.toISOString() ?? null });
  const { scope } = ctx;

  return ctx.run(
    async (work): Promise<ReversalResult> => {
      const found = await work.tx.events.get(scope, 'purchase', data.purchaseEventId);
      if (found) checkCurrency(ctx.program, found, data.currency);
      if (!found) {
        const existing = await work.tx.events.get(scope, kind, data.eventId);
        if (existing) checkReplay(existing, hash);
        if (!data.waitForPurchase) {
          return {
            status: 'ignored',
            reason: 'UNKNOWN_PURCHASE',
            message: `No commissionable purchase "${data.purchaseEventId}" was recorded; nothing is reversed.`,
          };
        }
        const message = `Purchase "${data.purchaseEventId}" is not recorded yet; this ${kind} is applied when it is.`;
        if (existing) return { status: 'pending', replayed: true, eventId: data.eventId, purchaseEventId: data.purchaseEventId, message };
        await insertSourceEvent(work, {
          kind,
          eventId: data.eventId,
          payloadHash: hash,
          referralId: null,
          referrerId: null,
          refereeId: null,
          amount: data.amount ?? data.refundedTotal ?? 0,
          relatedEventId: data.purchaseEventId,
          result: {
            pending: true,
            ...(data.refundedTotal !== undefined ? { refundedTotal: data.refundedTotal } : {}),
            ...(data.currency !== undefined ? { currency: data.currency } : {}),
          },
          occurredAt,
        });
        return { status: 'pending', replayed: false, eventId: data.eventId, purchaseEventId: data.purchaseEventId, message };
      }
      if (found.referrerId) await work.tx.participants.get(scope, found.referrerId, { forUpdate: true });
      const existing = await work.tx.events.get(scope, kind, data.eventId);
      if (existing) checkReplay(existing, hash);
      if (existing && !existing.result.pending) {
        return {
          status: 'recorded',
          replayed: true,
          eventId: data.eventId,
          purchaseEventId: data.purchaseEventId,
          reversals: (existing.result.reversals as { commissionId: string; amount: number }[]) ?? [],
        };
      }
      const purchase = (await work.tx.events.get(scope, 'purchase', data.purchaseEventId)) ?? found;
      if (existing) {
        // Kept before its purchase, and the purchase's own call did not see it (they raced): apply it now.
        const reversals = await applyWaiting(work, purchase, existing);
        return { status: 'recorded', replayed: false, eventId: data.eventId, purchaseEventId: purchase.eventId, reversals };
      }
      const remaining = purchase.amount - purchase.reversedAmount;
      let amount: number;
      if (data.amount !== undefined) {
        if (data.amount > remaining) throw new RefundExceedsPurchaseError(purchase.eventId, remaining);
        amount = data.amount;
      } else {
        amount = Math.max(0, Math.min(remaining, (data.refundedTotal ?? 0) - (await refundedSoFar(work, purchase.eventId))));
      }
      const won = kind === 'chargeback' && (await work.tx.events.get(scope, 'reinstatement', data.eventId)) !== null;
      const outcome = won || amount === 0 ? { reversals: [], before: {} } : await reverseCommissions(work, purchase, kind, data.eventId, amount);
      await insertSourceEvent(work, {
        kind,
        eventId: data.eventId,
        payloadHash: hash,
        referralId: purchase.referralId,
        referrerId: purchase.referrerId,
        refereeId: purchase.refereeId,
        amount,
        relatedEventId: purchase.eventId,
        result: { ...outcome, applied: won ? 0 : amount, ...(won ? { disputeWon: true } : {}), details: reversalDetails(ctx.program, purchase, amount) },
        occurredAt,
      });
      return { status: 'recorded', replayed: false, eventId: data.eventId, purchaseEventId: purchase.eventId, reversals: outcome.reversals };
    },
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.sourceEvent ? 'retry' : error),
  );
}

/** What the refunds applied to a purchase so far took of it. */
async function refundedSoFar(work: Work, purchaseEventId: string): Promise<number> {
  let sum = 0;
  for (const e of await work.tx.events.listRelated(work.scope, purchaseEventId)) {
    if (e.kind === 'refund' && !e.result.pending) sum += Number(e.result.applied ?? e.amount);
  }
  return sum;
}

/**
 * Applies a refund or chargeback that was kept before its purchase: at most
 * what is left of the purchase (a refunded total: what earlier refunds do
 * not cover), nothing for a chargeback whose dispute was already won. The
 * kept row gets the referral's ids and its result.
 */
async function applyWaiting(work: Work, purchase: SourceEventRecord, row: SourceEventRecord): Promise<{ commissionId: string; amount: number }[]> {
  const kind = row.kind as 'refund' | 'chargeback';
  const remaining = purchase.amount - purchase.reversedAmount;
  const total = row.result.refundedTotal;
  const wanted = typeof total === 'number' ? total - (await refundedSoFar(work, purchase.eventId)) : row.amount;
  const won = kind === 'chargeback' && (await work.tx.events.get(work.scope, 'reinstatement', row.eventId)) !== null;
  // Kept in another currency than its purchase's: it cannot be converted at the purchase's rate, so it reverses nothing.
  const foreign = typeof row.result.currency === 'string' && row.result.currency !== purchaseCurrency(work.program, purchase);
  const amount = won || foreign ? 0 : Math.max(0, Math.min(wanted, remaining));
  const outcome = amount === 0 ? { reversals: [], before: {} } : await reverseCommissions(work, purchase, kind, row.eventId, amount);
  await work.tx.events.update(work.scope, kind, row.eventId, {
    referralId: purchase.referralId,
    referrerId: purchase.referrerId,
    refereeId: purchase.refereeId,
    result: {
      ...outcome,
      applied: amount,
      ...(won ? { disputeWon: true } : {}),
      ...(foreign ? { refused: 'CURRENCY_MISMATCH' } : {}),
      details: reversalDetails(work.program, purchase, amount),
    },
  });
  return outcome.reversals;
}

/** The currency of a purchase's amount: the one it was made in, the program's for purchases recorded before onehop kept it. */
const purchaseCurrency = (program: ProgramConfig, purchase: SourceEventRecord): string => detailsOf(purchase)?.currency ?? program.currency;

/** A refund or chargeback is in its purchase's currency (it converts at the purchase's rate); another currency is refused, nothing written. */
function checkCurrency(program: ProgramConfig, purchase: SourceEventRecord, currency: string | undefined): void {
  const expected = purchaseCurrency(program, purchase);
  if (currency !== undefined && currency !== expected) {
    throw new ValidationError(
      [{ field: 'currency', message: `must be the purchase's currency, ${expected}: a refund or chargeback is converted at its purchase's rate` }],
      {
        hint: `Send the amount in ${expected} minor units, as the payment provider reports it for this payment.`,
      },
    );
  }
}

/** What a refund or chargeback of `amount` (in its purchase's currency) keeps besides: that amount in the program's currency, at the purchase's rate. */
function reversalDetails(program: ProgramConfig, purchase: SourceEventRecord, amount: number): SourceEventDetails {
  const details = detailsOf(purchase);
  return {
    currency: purchaseCurrency(program, purchase),
    ...convertAtPurchaseRate(program, details, amount),
    productId: null,
    subscriptionId: null,
    metadata: null,
  };
}

/** Locks a purchase's referrer (when it has one) and reads the purchase again, fresh. */
export async function lockPurchase(work: Work, scope: Scope, purchaseEventId: string): Promise<SourceEventRecord | null> {
  const found = await work.tx.events.get(scope, 'purchase', purchaseEventId);
  if (!found) return null;
  if (found.referrerId) await work.tx.participants.get(scope, found.referrerId, { forUpdate: true });
  return (await work.tx.events.get(scope, 'purchase', purchaseEventId)) ?? found;
}
