import { SYSTEM } from '../engine/context';
import type { Work } from '../engine/work';
import { WriteSetBuilder } from '../engine/write-set-builder';
import { runRules, type TargetedFinding } from '../fraud/rules';
import { signalsOf } from '../fraud/signals';
import { rejectReferralTx } from '../reviews/reject-referral';
import type { FraudFinding } from '../store/records';
import { type AccrualEvent, type AccrualOutcome, type AccrualSubject, accrualCounters, accrualLine, decideAccrual } from './decide';

/**
 * The fraud rules at accrual, on the line the event would create, and
 * whether any of them read the store (then the decision depends on more than
 * the referral and its referrer's row, and its write set guards the referrer
 * exclusively).
 */
export async function accrualFindings(
  work: Work,
  subject: AccrualSubject,
  event: AccrualEvent,
  lineAmount: number,
): Promise<{ findings: TargetedFinding[]; readSignals: boolean }> {
  let readSignals = false;
  const signals = signalsOf(work);
  const findings = await runRules(
    work.rules,
    {
      stage: 'accrual',
      referrer: subject.referrer,
      referral: subject.referral,
      purchase: event.purchase ? { eventId: event.sourceEventId, amount: event.purchase.amount, occurredAt: event.at } : null,
      commissionAmount: lineAmount,
      hashes: event.hashes,
      at: work.now(),
      config: work.program.fraud,
      signals: {
        countFingerprints: (query) => {
          readSignals = true;
          return signals.countFingerprints(query);
        },
        countReferralsSince: (referrerId, since) => {
          readSignals = true;
          return signals.countReferralsSince(referrerId, since);
        },
      },
    },
    work.ctx.logger,
  );
  return { findings, readSignals };
}

/** A write set decided in `work`: it takes the statistics and events the unit recorded so far along, so they keep their order. */
export const writeSetOf = (work: Work) =>
  new WriteSetBuilder(work.scope, work.program.outbox.enabled, { now: () => work.now(), currentDay: () => work.ctx.currentDay() }, work.recorder);

/** Rejects the referral a rule rejected at this event (the referrer is locked): nothing accrues or counts. */
export async function rejectAtAccrual(work: Work, outcome: AccrualOutcome, rejected: FraudFinding[], sourceEventId: string): Promise<AccrualOutcome> {
  const reason = rejected.map((f) => f.reason).join(', ');
  return { ...outcome, referral: await rejectReferralTx(work, outcome.referral, SYSTEM, reason, sourceEventId) };
}

/**
 * Turns one event of a referral whose referrer the caller locked (a sign-up
 * in a pay-per-sign-up program) into what it earns: reads the facts in one
 * call, decides (`decideAccrual`), and applies the write set, or rejects the
 * referral when a fraud rule says so.
 */
export async function accrue(work: Work, subject: Pick<AccrualSubject, 'referral' | 'referrer'>, event: AccrualEvent): Promise<AccrualOutcome> {
  const counters = accrualCounters(work.program, event.at);
  const facts = await work.tx.accruals.read(work.scope, {
    refereeId: subject.referral.refereeId,
    counters: counters.query,
    bonuses: counters.bonuses,
  });
  const full: AccrualSubject = { ...subject, counters: facts.counters, referralInReview: facts.referralInReview, bonusEventIds: facts.bonusEventIds };
  const line = accrualLine(work.program, counters, full, event);
  const { findings } = await accrualFindings(work, full, event, line?.due ? line.amount : 0);
  const writes = writeSetOf(work);
  const outcome = decideAccrual(writes, work.program, counters, full, event, line, findings);
  if (outcome.rejected) return rejectAtAccrual(work, outcome, outcome.rejected, event.sourceEventId);
  // The referrer is locked in this transaction: the guard holds.
  const guard = {
    scope: work.scope,
    participantId: subject.referrer.userId,
    version: facts.referrerVersion,
    exclusive: true,
    referral: { id: subject.referral.id, version: facts.referralVersion },
  };
  if (!(await work.tx.accruals.apply(writes.build(guard)))) {
    throw new Error(`onehop: the store lost the guard of participant ${subject.referrer.userId}, which this transaction holds locked`);
  }
  return outcome;
}
