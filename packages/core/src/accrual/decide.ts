// Over 300 lines: the one pure decision of what an event earns (lines, caps, tiers, bonuses, holds), read as one piece.
/*
 * What one event of a referral earns, decided without I/O: from the facts
 * read in one call (`AccrualFacts`), the event, the program and what the
 * fraud rules found, to a write set. The line, the counters and tier change,
 * the referral's own update, milestones and the welcome reward share one
 * referrer and one outcome, so they stay in one function.
 */
import { periodKey } from '../clock/periods';
import { calculateLine, type LineOutcome, tierIndex } from '../commissions/calculate';
import type { ProgramConfig } from '../config/program';
import { COUNTERS } from '../counters/names';
import { CONVERSION_COUNTER, conversionBucket } from '../counters/stats';
import { SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import type { WriteSetBuilder } from '../engine/write-set-builder';
import type { SignalHashes, TargetedFinding } from '../fraud/rules';
import { postInto } from '../ledger/post';
import { reviewOpening } from '../reviews/queue';
import type {
  CommissionCalculation,
  CommissionKind,
  CommissionRecord,
  Conversion,
  FraudFinding,
  LedgerSourceType,
  ParticipantRecord,
  ReferralRecord,
  SourceEventKind,
} from '../store/records';
import type { AccrualQuery } from '../store/repositories/accruals';

const DAY_MS = 86_400_000;

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
  /** `amount` in the program's currency; `conversion` when the purchase was in another. */
  purchase?: { amount: number; productId: string | null; conversion?: Conversion | null };
  /** Keyed hashes of the signals passed with the event (a purchase's payment fingerprint). */
  hashes: SignalHashes;
}

/** The counters an accrual of `event` reads, and where each sits in `AccrualQuery.counters`. */
export interface AccrualCounters {
  query: AccrualQuery['counters'];
  tier: number | null;
  cap: number | null;
  /** The referrer's all-time qualified referrals (milestones count them). */
  qualified: number | null;
}

/** Which of the referrer's counters the rules of `program` read for an event at `at`. */
export function accrualCounters(program: ProgramConfig, at: Date): AccrualCounters {
  const config = program.commission;
  const out: AccrualCounters = { query: [], tier: null, cap: null, qualified: null };
  const rule = config?.rule;
  if (rule?.type === 'tiered') {
    out.tier =
      out.query.push({ name: rule.basis === 'qualified_referrals' ? COUNTERS.qualified : COUNTERS.revenue, period: periodKey(at, rule.period, program.timeZone) }) - 1;
  }
  if (config?.caps.perReferrer) out.cap = out.query.push({ name: COUNTERS.commission, period: periodKey(at, config.caps.perReferrer.period, program.timeZone) }) - 1;
  if (config && config.milestones.length > 0) {
    const same = out.query.findIndex((c) => c.name === COUNTERS.qualified && c.period === 'all');
    out.qualified = same >= 0 ? same : out.query.push({ name: COUNTERS.qualified, period: 'all' }) - 1;
  }
  return out;
}

/** What the decision reads: the referral and its referrer as read, with the facts read beside them. */
export interface AccrualSubject {
  referral: ReferralRecord;
  referrer: ParticipantRecord;
  /** Values of `AccrualCounters.query`, in order. */
  counters: number[];
  referralInReview: boolean;
  bonusEventIds: string[];
}

/** Whether this event qualifies the referral. */
const qualifies = (program: ProgramConfig, referral: ReferralRecord, event: AccrualEvent) =>
  referral.status === 'pending' && (event.trigger === 'signup' ? program.qualifyOn === 'signup' : program.qualifyOn === 'first_payment');

/** The referrer's line for this event, before the fraud rules (they see its amount); null when the program pays nothing. */
export function accrualLine(program: ProgramConfig, counters: AccrualCounters, subject: AccrualSubject, event: AccrualEvent): LineOutcome | null {
  const config = program.commission;
  if (!config) return null;
  const { referral } = subject;
  const capRemaining = config.caps.perReferrer && counters.cap !== null ? config.caps.perReferrer.amount - subject.counters[counters.cap]! : null;
  return calculateLine(config, {
    trigger: event.trigger,
    at: event.at,
    ...(event.purchase ? { purchase: { amount: event.purchase.amount, productId: event.purchase.productId, number: referral.purchaseCount + 1 } } : {}),
    ...(event.purchase?.conversion ? { conversion: { original: event.purchase.conversion, to: program.currency } } : {}),
    referralAttributedAt: referral.attributedAt,
    qualifiesNow: qualifies(program, referral, event),
    tierCountBefore: counters.tier === null ? 0 : subject.counters[counters.tier]!,
    capRemaining,
    timeZone: program.timeZone,
  });
}

/**
 * Decides what one event of a referral (a sign-up, a purchase) earns and
 * puts its writes in `writes`: qualifies the referral when due, the
 * referrer's line (`line`, from `accrualLine`), the tier, cap and milestone
 * counters (deltas: O(1), never a scan), milestone bonuses and the referee's
 * welcome reward. A rejection of the referral by a rule (in `findings`)
 * writes nothing: the caller rejects it under the referrer's lock.
 */
export function decideAccrual(
  writes: WriteSetBuilder,
  program: ProgramConfig,
  counters: AccrualCounters,
  subject: AccrualSubject,
  event: AccrualEvent,
  line: LineOutcome | null,
  findings: TargetedFinding[],
): AccrualOutcome {
  const config = program.commission;
  const { referral, referrer } = subject;
  const now = writes.now();
  const owner = referral.referrerId;
  const qualifiesNow = qualifies(program, referral, event);
  const outcome: AccrualOutcome = { commissions: [], skipped: [], qualified: qualifiesNow, referral, rejected: null };

  const rejections = findings.filter((f) => f.action === 'reject' && f.target === 'referral');
  if (rejections.length > 0) {
    outcome.rejected = rejections;
    outcome.qualified = false;
    return outcome;
  }
  const lineRefused = findings.find((f) => f.action === 'reject' && f.target === 'commission');
  const lineReviews = findings.filter((f) => f.action === 'review');
  // While the referral itself is under review, everything it earns is held with it.
  const referralHeld = subject.referralInReview;
  const create = (c: Omit<NewCommission, 'referral'>) => createCommission(writes, program, { ...c, referral });

  if (event.trigger === 'purchase' && !config) outcome.skipped.push({ kind: 'referral', reason: 'NO_COMMISSION_RULE' });
  else if (event.trigger === 'purchase' && line && !line.due) outcome.skipped.push({ kind: 'referral', reason: 'NOT_IN_SCOPE' });
  if (config && line?.due) {
    if (referrer.status !== 'active') {
      outcome.skipped.push({ kind: 'referral', reason: 'REFERRER_SUSPENDED' });
    } else if (lineRefused) {
      outcome.skipped.push({ kind: 'referral', reason: lineRefused.reason });
      writes.emit('fraud.flagged', owner, 'referral', referral.id, {
        action: 'reject',
        rule: lineRefused.rule,
        reason: lineRefused.reason,
        sourceEvent: event.sourceEventId,
      });
    } else if (line.amount <= 0) {
      outcome.skipped.push({ kind: 'referral', reason: line.capped ? 'CAP_REACHED' : 'ZERO_AMOUNT' });
    } else {
      const held = referralHeld || lineReviews.length > 0;
      const c = create({
        kind: 'referral',
        beneficiaryId: owner,
        sourceKind: event.sourceKind,
        sourceEventId: event.sourceEventId,
        amount: line.amount,
        calculation: line.calculation,
        held,
      });
      if (lineReviews.length > 0 && !referralHeld) {
        const { review, audit } = reviewOpening(writes, 'commission', c.id, referral, lineReviews, event.sourceEventId);
        writes.rows.reviews.push(review);
        writes.audit.push(audit);
      }
      outcome.commissions.push(c);
      if (counters.cap !== null) writes.tallyOwner(owner, COUNTERS.commission, counters.query[counters.cap]!.period, line.amount);
    }
  }

  // Counters, and the tier change they may cause.
  const qualifiedAllTime = qualifiesNow && counters.qualified !== null ? subject.counters[counters.qualified]! + 1 : null;
  if (qualifiesNow) writes.tallyOwner(owner, COUNTERS.qualified, 'all', 1);
  const rule = config?.rule;
  if (rule?.type === 'tiered' && counters.tier !== null) {
    const { name, period } = counters.query[counters.tier]!;
    const countBefore = subject.counters[counters.tier]!;
    let countAfter = countBefore;
    if (name === COUNTERS.qualified && qualifiesNow) {
      countAfter = countBefore + 1;
      // The all-time qualified counter is counted once, above.
      if (period !== 'all') writes.tallyOwner(owner, name, period, 1);
    } else if (name === COUNTERS.revenue && event.purchase) {
      countAfter = countBefore + event.purchase.amount;
      writes.tallyOwner(owner, name, period, event.purchase.amount);
    }
    const before = tierIndex(rule.tiers, countBefore);
    const after = tierIndex(rule.tiers, countAfter);
    if (after !== before) {
      writes.audit.push(
        writes.auditLine('tier', owner, 'tier.changed', SYSTEM, {
          notify: owner,
          before: String(before),
          after: String(after),
          sourceEvent: event.sourceEventId,
          data: { basis: rule.basis, period: rule.period, periodKey: period, count: countAfter, from: rule.tiers[after]!.from },
        }),
      );
    }
  }

  // The referral itself.
  const patch: WriteSetPatch = { updatedAt: now };
  if (event.purchase) {
    patch.purchaseCount = referral.purchaseCount + 1;
    patch.revenue = referral.revenue + event.purchase.amount;
  }
  if (qualifiesNow) {
    patch.status = 'qualified';
    patch.qualifiedAt = now;
  }
  writes.rows.referrals.push({ id: referral.id, patch });
  outcome.referral = { ...referral, ...patch };
  if (qualifiesNow) {
    writes.tallyReferral(referral, referral.status, 'qualified');
    writes.tallyTotal(null, CONVERSION_COUNTER, String(conversionBucket(now.getTime() - referral.attributedAt.getTime())), 1);
    writes.audit.push(
      writes.auditLine('referral', referral.id, 'referral.qualified', SYSTEM, {
        before: 'pending',
        after: 'qualified',
        sourceEvent: event.sourceEventId,
        notify: referral.referrerId,
        data: { refereeId: referral.refereeId },
      }),
    );
  }

  // One-time rewards of a qualification.
  if (qualifiesNow && config) {
    const milestone = config.milestones.find((m) => m.qualifiedReferrals === qualifiedAllTime);
    if (milestone && milestone.amount > 0 && referrer.status === 'active') {
      const bonusId = `milestone:${owner}:${milestone.qualifiedReferrals}`;
      if (!subject.bonusEventIds.includes(bonusId)) {
        const calculation: CommissionCalculation = {
          rule: 'milestone',
          source: 'milestone',
          milestone: milestone.qualifiedReferrals,
          fixedAmount: milestone.amount,
          baseAmount: 0,
          rounding: config.rounding,
          uncapped: milestone.amount,
        };
        const bonus = create({
          kind: 'milestone_bonus',
          beneficiaryId: owner,
          sourceKind: 'bonus',
          sourceEventId: bonusId,
          amount: milestone.amount,
          calculation,
          held: referralHeld,
        });
        writes.rows.events.push({
          programId: writes.scope.programId,
          mode: writes.scope.mode,
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
        writes.audit.push(
          writes.auditLine('participant', owner, 'milestone.reached', SYSTEM, {
            notify: owner,
            sourceEvent: event.sourceEventId,
            data: { qualifiedReferrals: milestone.qualifiedReferrals, commissionId: bonus.id, amount: milestone.amount },
          }),
        );
      }
    }
    if (config.welcomeReward) {
      const amount = config.welcomeReward.amount;
      const calculation: CommissionCalculation = { rule: 'welcome', source: 'welcome', fixedAmount: amount, baseAmount: 0, rounding: config.rounding, uncapped: amount };
      outcome.commissions.push(
        create({
          kind: 'welcome_reward',
          beneficiaryId: referral.refereeId,
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

type WriteSetPatch = WriteSetBuilder['rows']['referrals'][number]['patch'];

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

/** A new commission line with its accrual posting and its audit line. */
function createCommission(
  writes: WriteSetBuilder,
  program: ProgramConfig,
  { kind, beneficiaryId, referral, sourceKind, sourceEventId, amount, calculation, held }: NewCommission,
): CommissionRecord {
  const now = writes.now();
  const holdingDays = program.commission?.holdingDays ?? 0;
  const commission: CommissionRecord = {
    programId: writes.scope.programId,
    mode: writes.scope.mode,
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
  writes.rows.commissions.push(commission);
  postInto(writes, [
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
  writes.audit.push(
    writes.auditLine('commission', commission.id, 'commission.accrued', SYSTEM, {
      notify: beneficiaryId,
      after: commission.status,
      sourceEvent: sourceEventId,
      data: { kind, beneficiaryId, amount, referralId: referral.id, refereeId: referral.refereeId, currency: program.currency },
    }),
  );
  return commission;
}
