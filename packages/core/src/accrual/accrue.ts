/*
 * What one event of a referral earns, as one rule: the line, the fraud rules,
 * the counters and tier change, the referral's own update, milestones and
 * the welcome reward share one locked referrer and one outcome, so they stay
 * in one function; creating a commission is the step below it.
 */
import { periodKey } from '../clock/periods';
import { calculateLine, tierIndex } from '../commissions/calculate';
import { COUNTERS } from '../counters/names';
import { CONVERSION_COUNTER, conversionBucket } from '../counters/stats';
import { SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import { runRules, type SignalHashes } from '../fraud/rules';
import { signalsOf } from '../fraud/signals';
import { post } from '../ledger/post';
import { openReview } from '../reviews/queue';
import { rejectReferralTx } from '../reviews/reject-referral';
import type {
  CommissionCalculation,
  CommissionKind,
  CommissionRecord,
  FraudFinding,
  LedgerSourceType,
  ParticipantRecord,
  ReferralRecord,
  SourceEventKind,
} from '../store/records';

const DAY_MS = 86_400_000;

/**
 * Why a line that could have been paid was not created: a cap, a zero
 * amount, a suspended referrer, or the reason code of a fraud rule that
 * refused this event's line (e.g. `BELOW_MINIMUM_PURCHASE`).
 */
/**
 * Why a line was not created: `CAP_REACHED`, `ZERO_AMOUNT` (the rule computed
 * nothing), `REFERRER_SUSPENDED`, `NO_COMMISSION_RULE` (the program has no
 * `commission` configuration), `NOT_IN_SCOPE` (the rule pays nothing for this
 * purchase: a per-referral rule pays when the referral qualifies, a
 * per-purchase rule only inside its scope), or the reason of a fraud rule
 * that refused the line.
 */
export type SkipReason = 'CAP_REACHED' | 'ZERO_AMOUNT' | 'REFERRER_SUSPENDED' | 'NO_COMMISSION_RULE' | 'NOT_IN_SCOPE' | (string & {});

export interface AccrualOutcome {
  commissions: CommissionRecord[];
  skipped: { kind: CommissionKind; reason: SkipReason }[];
  /** This event qualified the referral. */
  qualified: boolean;
  referral: ReferralRecord;
  /** Set when a fraud rule rejected the referral at this event: nothing accrued, nothing was counted. */
  rejected: FraudFinding[] | null;
}

export interface AccrualEvent {
  trigger: 'signup' | 'purchase';
  sourceKind: SourceEventKind | 'signup';
  /** Purchase event id, or the referral id for a sign-up. */
  sourceEventId: string;
  at: Date;
  purchase?: { amount: number; productId: string | null };
  /** Keyed hashes of the signals passed with the event (a purchase's payment fingerprint). */
  hashes: SignalHashes;
}

/**
 * Turns one event of a referral (a sign-up, a purchase) into what it earns:
 * qualifies the referral when due, computes the referrer's line, keeps the
 * tier, cap and milestone counters (O(1): read and add, never a scan), and
 * creates milestone bonuses and the referee's welcome reward. The referrer
 * must be locked by the caller.
 */
export async function accrue(work: Work, referral: ReferralRecord, referrer: ParticipantRecord, event: AccrualEvent): Promise<AccrualOutcome> {
  const { program, scope } = work;
  const config = program.commission;
  const now = work.now();
  const tz = program.timeZone;
  const owner = referral.referrerId;
  const qualifiesNow = referral.status === 'pending' && (event.trigger === 'signup' ? program.qualifyOn === 'signup' : program.qualifyOn === 'first_payment');
  const purchaseNumber = event.purchase ? referral.purchaseCount + 1 : 0;
  const outcome: AccrualOutcome = { commissions: [], skipped: [], qualified: qualifiesNow, referral, rejected: null };

  // The referrer's line, computed before anything is written: the fraud rules see its amount.
  const rule = config?.rule;
  const tierName = rule?.type === 'tiered' ? (rule.basis === 'qualified_referrals' ? COUNTERS.qualified : COUNTERS.revenue) : null;
  const tierPeriod = rule?.type === 'tiered' ? periodKey(event.at, rule.period, tz) : null;
  const tierCountBefore = tierName && tierPeriod ? await work.tx.counters.get(scope, owner, tierName, tierPeriod) : 0;
  const capPeriod = config?.caps.perReferrer ? periodKey(event.at, config.caps.perReferrer.period, tz) : null;
  let line: ReturnType<typeof calculateLine> | null = null;
  if (config) {
    const capRemaining =
      config.caps.perReferrer && capPeriod ? config.caps.perReferrer.amount - (await work.tx.counters.get(scope, owner, COUNTERS.commission, capPeriod)) : null;
    line = calculateLine(config, {
      trigger: event.trigger,
      at: event.at,
      ...(event.purchase ? { purchase: { amount: event.purchase.amount, productId: event.purchase.productId, number: purchaseNumber } } : {}),
      referralAttributedAt: referral.attributedAt,
      qualifiesNow,
      tierCountBefore,
      capRemaining,
      timeZone: tz,
    });
  }

  // Fraud rules. A rejection of the referral stops here: nothing accrues or counts.
  const findings = await runRules(work.rules, {
    stage: 'accrual',
    referrer,
    referral,
    purchase: event.purchase ? { eventId: event.sourceEventId, amount: event.purchase.amount, occurredAt: event.at } : null,
    commissionAmount: line?.due ? line.amount : 0,
    hashes: event.hashes,
    at: now,
    config: program.fraud,
    signals: signalsOf(work),
  });
  const rejections = findings.filter((f) => f.action === 'reject' && f.target === 'referral');
  if (rejections.length > 0) {
    const reason = rejections.map((f) => f.reason).join(', ');
    outcome.referral = await rejectReferralTx(work, referral, SYSTEM, reason, event.sourceEventId);
    outcome.rejected = rejections;
    outcome.qualified = false;
    return outcome;
  }
  const lineRefused = findings.find((f) => f.action === 'reject' && f.target === 'commission');
  const lineReviews = findings.filter((f) => f.action === 'review');
  // While the referral itself is under review, everything it earns is held with it.
  const referralHeld = (await work.tx.reviews.getOpen(scope, 'referral', referral.id)) !== null;

  if (event.trigger === 'purchase' && !config) outcome.skipped.push({ kind: 'referral', reason: 'NO_COMMISSION_RULE' });
  else if (event.trigger === 'purchase' && line && !line.due) outcome.skipped.push({ kind: 'referral', reason: 'NOT_IN_SCOPE' });
  if (config && line?.due) {
    if (referrer.status !== 'active') {
      outcome.skipped.push({ kind: 'referral', reason: 'REFERRER_SUSPENDED' });
    } else if (lineRefused) {
      outcome.skipped.push({ kind: 'referral', reason: lineRefused.reason });
      work.emit('fraud.flagged', owner, 'referral', referral.id, {
        action: 'reject',
        rule: lineRefused.rule,
        reason: lineRefused.reason,
        sourceEvent: event.sourceEventId,
      });
    } else if (line.amount <= 0) {
      outcome.skipped.push({ kind: 'referral', reason: line.capped ? 'CAP_REACHED' : 'ZERO_AMOUNT' });
    } else {
      const held = referralHeld || lineReviews.length > 0;
      const c = await createCommission(work, {
        kind: 'referral',
        beneficiaryId: owner,
        referral,
        sourceKind: event.sourceKind,
        sourceEventId: event.sourceEventId,
        amount: line.amount,
        calculation: line.calculation,
        held,
      });
      if (lineReviews.length > 0 && !referralHeld) await openReview(work, 'commission', c.id, referral, lineReviews, event.sourceEventId);
      outcome.commissions.push(c);
      if (capPeriod) await work.tx.counters.add(scope, owner, COUNTERS.commission, capPeriod, line.amount);
    }
  }

  // Counters, and the tier change they may cause.
  let qualifiedAllTime: number | null = null;
  if (qualifiesNow) qualifiedAllTime = await work.tx.counters.add(scope, owner, COUNTERS.qualified, 'all', 1);
  if (tierName && tierPeriod && rule?.type === 'tiered') {
    let countAfter = tierCountBefore;
    if (tierName === COUNTERS.qualified && qualifiesNow) {
      countAfter = tierPeriod === 'all' && qualifiedAllTime !== null ? qualifiedAllTime : await work.tx.counters.add(scope, owner, tierName, tierPeriod, 1);
    } else if (tierName === COUNTERS.revenue && event.purchase) {
      countAfter = await work.tx.counters.add(scope, owner, tierName, tierPeriod, event.purchase.amount);
    }
    const before = tierIndex(rule.tiers, tierCountBefore);
    const after = tierIndex(rule.tiers, countAfter);
    if (after !== before) {
      await work.audit('tier', owner, 'tier.changed', SYSTEM, {
        notify: owner,
        before: String(before),
        after: String(after),
        sourceEvent: event.sourceEventId,
        data: { basis: rule.basis, period: rule.period, periodKey: tierPeriod, count: countAfter, from: rule.tiers[after]!.from },
      });
    }
  }

  // The referral itself.
  const patch: Partial<ReferralRecord> = { updatedAt: now };
  if (event.purchase) {
    patch.purchaseCount = purchaseNumber;
    patch.revenue = referral.revenue + event.purchase.amount;
  }
  if (qualifiesNow) {
    patch.status = 'qualified';
    patch.qualifiedAt = now;
  }
  await work.tx.referrals.update(scope, referral.id, patch);
  outcome.referral = { ...referral, ...patch };
  if (qualifiesNow) {
    work.tallyReferral(referral, referral.status, 'qualified');
    work.tallyTotal(null, CONVERSION_COUNTER, String(conversionBucket(now.getTime() - referral.attributedAt.getTime())), 1);
    await work.audit('referral', referral.id, 'referral.qualified', SYSTEM, {
      before: 'pending',
      after: 'qualified',
      sourceEvent: event.sourceEventId,
      notify: referral.referrerId,
      data: { refereeId: referral.refereeId },
    });
  }

  // One-time rewards of a qualification.
  if (qualifiesNow && config) {
    const milestone = config.milestones.find((m) => m.qualifiedReferrals === qualifiedAllTime);
    if (milestone && milestone.amount > 0 && referrer.status === 'active') {
      const bonusId = `milestone:${owner}:${milestone.qualifiedReferrals}`;
      if (!(await work.tx.events.get(scope, 'bonus', bonusId))) {
        const calculation: CommissionCalculation = {
          rule: 'milestone',
          source: 'milestone',
          milestone: milestone.qualifiedReferrals,
          fixedAmount: milestone.amount,
          baseAmount: 0,
          rounding: config.rounding,
          uncapped: milestone.amount,
        };
        const bonus = await createCommission(work, {
          kind: 'milestone_bonus',
          beneficiaryId: owner,
          referral,
          sourceKind: 'bonus',
          sourceEventId: bonusId,
          amount: milestone.amount,
          calculation,
          held: referralHeld,
        });
        await work.tx.events.insert({
          programId: scope.programId,
          mode: scope.mode,
          kind: 'bonus',
          eventId: bonusId,
          payloadHash: '',
          referralId: referral.id,
          referrerId: owner,
          refereeId: referral.refereeId,
          amount: milestone.amount,
          reversedAmount: 0,
          relatedEventId: event.sourceEventId,
          result: { commissionIds: [bonus.id] },
          occurredAt: event.at,
          recordedAt: now,
        });
        outcome.commissions.push(bonus);
        await work.audit('participant', owner, 'milestone.reached', SYSTEM, {
          notify: owner,
          sourceEvent: event.sourceEventId,
          data: { qualifiedReferrals: milestone.qualifiedReferrals, commissionId: bonus.id, amount: milestone.amount },
        });
      }
    }
    if (config.welcomeReward) {
      const amount = config.welcomeReward.amount;
      const calculation: CommissionCalculation = { rule: 'welcome', source: 'welcome', fixedAmount: amount, baseAmount: 0, rounding: config.rounding, uncapped: amount };
      outcome.commissions.push(
        await createCommission(work, {
          kind: 'welcome_reward',
          beneficiaryId: referral.refereeId,
          referral,
          sourceKind: event.sourceKind,
          sourceEventId: event.sourceEventId,
          amount,
          calculation,
          held: referralHeld,
        }),
      );
    }
  }
  return outcome;
}

const LEDGER_SOURCE: Record<SourceEventKind | 'signup', LedgerSourceType> = {
  purchase: 'purchase',
  refund: 'refund',
  chargeback: 'chargeback',
  bonus: 'bonus',
  reinstatement: 'reinstatement',
  cancellation: 'cancellation',
  signup: 'signup',
};

/** What a new commission line is: its kind, who earns it, for which referral and event, and how much. */
interface NewCommission {
  kind: CommissionKind;
  beneficiaryId: string;
  referral: ReferralRecord;
  sourceKind: SourceEventKind | 'signup';
  sourceEventId: string;
  amount: number;
  calculation: CommissionCalculation;
  /** Held for review: `on_hold`, never withdrawable until a person approves it. */
  held: boolean;
}

async function createCommission(
  work: Work,
  { kind, beneficiaryId, referral, sourceKind, sourceEventId, amount, calculation, held }: NewCommission,
): Promise<CommissionRecord> {
  const now = work.now();
  const holdingDays = work.program.commission?.holdingDays ?? 0;
  const commission: CommissionRecord = {
    programId: work.scope.programId,
    mode: work.scope.mode,
    id: newId('com'),
    kind,
    beneficiaryId,
    referrerId: referral.referrerId,
    refereeId: referral.refereeId,
    referralId: referral.id,
    sourceKind,
    sourceEventId,
    amount,
    reversedAmount: 0,
    status: held ? 'on_hold' : 'pending',
    statusReason: held ? 'in_review' : null,
    calculation,
    availableAt: new Date(now.getTime() + holdingDays * DAY_MS),
    payoutId: null,
    createdAt: now,
    approvedAt: null,
    paidAt: null,
    updatedAt: now,
  };
  await work.tx.commissions.insert(commission);
  await post(work, [
    {
      accountId: beneficiaryId,
      moves: held ? { on_hold: amount } : { pending: amount },
      kind: 'accrual',
      commissionId: commission.id,
      sourceType: LEDGER_SOURCE[sourceKind],
      sourceId: sourceEventId,
      actor: SYSTEM,
    },
  ]);
  await work.audit('commission', commission.id, 'commission.accrued', SYSTEM, {
    notify: beneficiaryId,
    after: commission.status,
    sourceEvent: sourceEventId,
    data: { kind, beneficiaryId, amount, referralId: referral.id, refereeId: referral.refereeId, currency: work.program.currency },
  });
  return commission;
}
