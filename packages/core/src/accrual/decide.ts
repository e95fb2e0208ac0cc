// Over 300 lines: the one pure decision of what an event earns (lines, caps, tiers, bonuses, holds), read as one piece.
/*
 * What one event of a referral earns, decided without I/O: from the facts
 * read in one call (`AccrualFacts`), the event, the program and what the
 * fraud rules found, to a write set. The line, the counters and tier change,
 * the referral's own update, milestones and the welcome reward share one
 * referrer and one outcome, so they stay in one function.
 */
import { periodKey } from '../clock/periods';
import { calculateLine, type LineOutcome, type Terms, tierIndex } from '../commissions/calculate';
import type { ProgramConfig } from '../config/program';
import { COUNTERS } from '../counters/names';
import { CONVERSION_COUNTER, conversionBucket } from '../counters/stats';
import { SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import type { WriteSetBuilder } from '../engine/write-set-builder';
import type { SignalHashes, TargetedFinding } from '../fraud/rules';
import { type GroupTerms, groupOf, groupsOf, holdingDaysOf } from '../groups/group-of';
import { type RewardLine, rewardLines } from '../groups/rewards';
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
  /** `amount` in the program's currency; `conversion` when the purchase was in another; `planId` and `metadata` are what reward conditions may test. */
  purchase?: {
    amount: number;
    productId: string | null;
    conversion?: Conversion | null;
    planId?: string | null | undefined;
    metadata?: Record<string, unknown> | null | undefined;
  };
  /** Keyed hashes of the signals passed with the event (a purchase's payment fingerprint). */
  hashes: SignalHashes;
}

/** Where one group's counters sit in `AccrualCounters.query`. */
interface GroupCounters {
  tier: number | null;
  cap: number | null;
  /** The referrer's all-time qualified referrals (milestones count them). */
  qualified: number | null;
  /** Each bounty reward's goal counter, by reward id. */
  bounties: Record<string, number>;
}

/**
 * The counters an accrual of `event` reads, and where each sits in
 * `AccrualQuery.counters`: every counter any group of the program reads, so
 * one read serves whichever group the referrer is in, and every referrer
 * counts them all (a group move resets no count: see `groups/`).
 */
export interface AccrualCounters {
  query: AccrualQuery['counters'];
  /** Each group's counters, by group name (`default` included). */
  groups: Record<string, GroupCounters>;
  /** Whether a group pays one-off bonuses (milestones, bounties): the read then lists the referrer's bonus events. */
  bonuses: boolean;
}

/** Which of the referrer's counters the rules of `program`'s groups read for an event at `at`. */
export function accrualCounters(program: ProgramConfig, at: Date): AccrualCounters {
  const query: AccrualQuery['counters'] = [];
  const indexOf = (name: string, period: string) => {
    const found = query.findIndex((c) => c.name === name && c.period === period);
    return found >= 0 ? found : query.push({ name, period }) - 1;
  };
  const groups: Record<string, GroupCounters> = {};
  let bonuses = false;
  for (const [name, group] of groupsOf(program)) {
    const config = group.commission;
    const rule = config?.rule;
    const out: GroupCounters = { tier: null, cap: null, qualified: null, bounties: {} };
    if (rule?.type === 'tiered') {
      out.tier = indexOf(rule.basis === 'qualified_referrals' ? COUNTERS.qualified : COUNTERS.revenue, periodKey(at, rule.period, program.timeZone));
    }
    if (config?.caps.perReferrer) out.cap = indexOf(COUNTERS.commission, periodKey(at, config.caps.perReferrer.period, program.timeZone));
    if (config && config.milestones.length > 0) {
      out.qualified = indexOf(COUNTERS.qualified, 'all');
      bonuses = true;
    }
    for (const reward of group.rewards) {
      if (reward.event !== 'bounty') continue;
      const counter = reward.goal.basis === 'qualified_referrals' ? COUNTERS.qualified : COUNTERS.revenue;
      out.bounties[reward.id] = indexOf(counter, periodKey(at, reward.goal.period, program.timeZone));
      bonuses = true;
    }
    groups[name] = out;
  }
  return { query, groups, bonuses };
}

// groupOf names a group of the program (the default one for any other), and accrualCounters lists every group.
const countersOf = (counters: AccrualCounters, group: GroupTerms): GroupCounters => counters.groups[group.id]!;

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

/** The referrer's lines for an event: the group's base line and its reward lines, with their total. */
export interface EventLines {
  /** The group the referrer earns by, with their own terms. */
  group: GroupTerms;
  /** The line of the group's `commission` rule; null when the group has none. */
  base: LineOutcome | null;
  /** The group's `lead` and `sale` rewards due for the event, in order. */
  rewards: RewardLine[];
  /** Whether any line is due. */
  due: boolean;
  /** What the due lines pay together (the fraud rules see it). */
  amount: number;
}

/** The referrer's own rate or amount, as line terms. */
const customTerms = (group: GroupTerms): Terms | undefined =>
  group.custom?.rateBps !== undefined ? { rateBps: group.custom.rateBps } : group.custom?.amount !== undefined ? { amount: group.custom.amount } : undefined;

/** The referrer's lines for this event, before the fraud rules (they see their amount); null when the referrer's group pays nothing. */
export function accrualLine(program: ProgramConfig, counters: AccrualCounters, subject: AccrualSubject, event: AccrualEvent): EventLines | null {
  const group = groupOf(program, subject.referrer);
  const config = group.commission;
  if (!config && group.rewards.length === 0) return null;
  const own = countersOf(counters, group);
  const { referral } = subject;
  const capRemaining = config?.caps.perReferrer && own.cap !== null ? config.caps.perReferrer.amount - subject.counters[own.cap]! : null;
  const number = referral.purchaseCount + 1;
  const purchase = event.purchase ? { amount: event.purchase.amount, productId: event.purchase.productId, number } : undefined;
  const base = config
    ? calculateLine(config, {
        trigger: event.trigger,
        at: event.at,
        ...(purchase ? { purchase } : {}),
        ...(event.purchase?.conversion ? { conversion: { original: event.purchase.conversion, to: program.currency } } : {}),
        referralAttributedAt: referral.attributedAt,
        qualifiesNow: qualifies(program, referral, event),
        tierCountBefore: own.tier === null ? 0 : subject.counters[own.tier]!,
        capRemaining,
        timeZone: program.timeZone,
        custom: customTerms(group),
        group: group.id,
      })
    : null;
  const baseAmount = base?.due ? base.amount : 0;
  const rewards = rewardLines(
    group,
    {
      trigger: event.trigger,
      at: event.at,
      ...(purchase ? { purchase } : {}),
      ...(event.purchase?.conversion ? { conversion: { original: event.purchase.conversion, to: program.currency } } : {}),
      referralAttributedAt: referral.attributedAt,
      timeZone: program.timeZone,
    },
    {
      purchase: event.purchase
        ? {
            amount: event.purchase.amount,
            productId: event.purchase.productId,
            planId: event.purchase.planId ?? null,
            metadata: event.purchase.metadata ?? null,
            number,
          }
        : null,
      refereeCountry: referral.country,
    },
    capRemaining === null ? null : capRemaining - baseAmount,
  );
  const amount = rewards.reduce((total, r) => total + r.amount, baseAmount);
  return { group, base, rewards, due: base?.due === true || rewards.length > 0, amount };
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
  line: EventLines | null,
  findings: TargetedFinding[],
): AccrualOutcome {
  const { referral, referrer } = subject;
  const group = line?.group ?? groupOf(program, referrer);
  const config = group.commission;
  const own = countersOf(counters, group);
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
  const holdingDays = holdingDaysOf(group);
  const create = (c: NewCommission, days = holdingDays) => createCommission(writes, program, c, referral, days);

  if (event.trigger === 'purchase' && !line) outcome.skipped.push({ kind: 'referral', reason: 'NO_COMMISSION_RULE' });
  else if (event.trigger === 'purchase' && line && !line.due) outcome.skipped.push({ kind: 'referral', reason: 'NOT_IN_SCOPE' });
  let earned = 0;
  if (line?.due) {
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
    } else {
      // The base line first, then each reward's, in the group's order (groups/rewards.ts).
      const due: { amount: number; calculation: CommissionCalculation; capped: boolean }[] = [...(line.base?.due ? [line.base] : []), ...line.rewards];
      for (const l of due) {
        if (l.amount <= 0) {
          outcome.skipped.push({ kind: 'referral', reason: l.capped ? 'CAP_REACHED' : 'ZERO_AMOUNT' });
          continue;
        }
        const held = referralHeld || lineReviews.length > 0;
        const c = create({
          kind: 'referral',
          beneficiaryId: owner,
          sourceKind: event.sourceKind,
          sourceEventId: event.sourceEventId,
          amount: l.amount,
          calculation: l.calculation,
          held,
        });
        if (lineReviews.length > 0 && !referralHeld) {
          const { review, audit } = reviewOpening(writes, 'commission', c.id, referral, lineReviews, event.sourceEventId);
          writes.rows.reviews.push(review);
          writes.audit.push(audit);
        }
        outcome.commissions.push(c);
        earned += l.amount;
      }
    }
  }

  // Counters: every counter any group reads, whatever the referrer's group (a move resets no count).
  const deltas = counters.query.map(({ name }) => {
    if (name === COUNTERS.qualified) return qualifiesNow ? 1 : 0;
    if (name === COUNTERS.revenue) return event.purchase?.amount ?? 0;
    if (name === COUNTERS.commission) return earned;
    return 0;
  });
  // The all-time qualified counter is counted once, whether or not a rule reads it.
  if (qualifiesNow) writes.tallyOwner(owner, COUNTERS.qualified, 'all', 1);
  counters.query.forEach(({ name, period }, i) => {
    if (deltas[i] === 0 || (name === COUNTERS.qualified && period === 'all')) return;
    writes.tallyOwner(owner, name, period, deltas[i]!);
  });

  // The tier change the counters may cause.
  const rule = config?.rule;
  if (rule?.type === 'tiered' && own.tier !== null) {
    const { period } = counters.query[own.tier]!;
    const countBefore = subject.counters[own.tier]!;
    const countAfter = countBefore + deltas[own.tier]!;
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

  const rounding = config?.rounding ?? 'half_even';
  const bonus = (bonusId: string, amount: number, calculation: CommissionCalculation, action: string, data: Record<string, unknown>) => {
    if (amount <= 0 || referrer.status !== 'active' || subject.bonusEventIds.includes(bonusId)) return;
    const line = create({ kind: 'milestone_bonus', beneficiaryId: owner, sourceKind: 'bonus', sourceEventId: bonusId, amount, calculation, held: referralHeld });
    writes.rows.events.push({
      programId: writes.scope.programId,
      mode: writes.scope.mode,
      kind: 'bonus',
      eventId: bonusId,
      payloadHash: '',
      referralId: referral.id,
      referrerId: owner,
      refereeId: referral.refereeId,
      amount,
      reversedAmount: 0,
      relatedEventId: event.sourceEventId,
      result: { commissionIds: [line.id] },
      occurredAt: event.at,
      recordedAt: now,
    });
    outcome.commissions.push(line);
    writes.audit.push(
      writes.auditLine('participant', owner, action, SYSTEM, { notify: owner, sourceEvent: event.sourceEventId, data: { ...data, commissionId: line.id, amount } }),
    );
  };
  const named = group.id !== 'default' ? { group: group.id } : {};

  // One-time rewards of a qualification.
  if (qualifiesNow && config) {
    const qualifiedAllTime = own.qualified !== null ? subject.counters[own.qualified]! + 1 : null;
    const milestone = config.milestones.find((m) => m.qualifiedReferrals === qualifiedAllTime);
    if (milestone) {
      bonus(
        `milestone:${owner}:${milestone.qualifiedReferrals}`,
        milestone.amount,
        {
          rule: 'milestone',
          source: 'milestone',
          ...named,
          milestone: milestone.qualifiedReferrals,
          fixedAmount: milestone.amount,
          baseAmount: 0,
          rounding,
          uncapped: milestone.amount,
        },
        'milestone.reached',
        { qualifiedReferrals: milestone.qualifiedReferrals },
      );
    }
    if (config.welcomeReward) {
      const amount = config.welcomeReward.amount;
      const calculation: CommissionCalculation = { rule: 'welcome', source: 'welcome', ...named, fixedAmount: amount, baseAmount: 0, rounding, uncapped: amount };
      outcome.commissions.push(
        create(
          {
            kind: 'welcome_reward',
            beneficiaryId: referral.refereeId,
            sourceKind: event.sourceKind,
            sourceEventId: event.sourceEventId,
            amount,
            calculation,
            held: referralHeld,
          },
          config.holdingDays,
        ),
      );
    }
  }

  // Bounties: once per period, on the event that makes the goal's counter reach its target.
  for (const reward of group.rewards) {
    if (reward.event !== 'bounty') continue;
    const index = own.bounties[reward.id];
    if (index === undefined) continue;
    const before = subject.counters[index]!;
    const after = before + deltas[index]!;
    if (!(before < reward.goal.target && after >= reward.goal.target)) continue;
    const { period: key } = counters.query[index]!;
    const goal = { basis: reward.goal.basis, target: reward.goal.target, period: reward.goal.period, periodKey: key };
    bonus(
      `bounty:${reward.id}:${owner}:${key}`,
      reward.amount,
      {
        rule: 'bounty',
        source: 'reward',
        ...named,
        rewardId: reward.id,
        event: 'bounty',
        goal,
        fixedAmount: reward.amount,
        baseAmount: 0,
        rounding,
        uncapped: reward.amount,
      },
      'bounty.reached',
      { rewardId: reward.id, ...goal, count: after },
    );
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

/** What a new commission line is: its kind, who earns it, for which event, and how much (its referral and holding period are passed beside it). */
interface NewCommission {
  kind: CommissionKind;
  beneficiaryId: string;
  sourceKind: SourceEventKind | 'signup';
  sourceEventId: string;
  amount: number;
  calculation: CommissionCalculation;
  /** Held for review: `on_hold`, never withdrawable until a person approves it. */
  held: boolean;
}

/** A new commission line with its accrual posting and its audit line; it stays pending `holdingDays` days before `approveDue` may approve it. */
function createCommission(
  writes: WriteSetBuilder,
  program: ProgramConfig,
  { kind, beneficiaryId, sourceKind, sourceEventId, amount, calculation, held }: NewCommission,
  referral: ReferralRecord,
  holdingDays: number,
): CommissionRecord {
  const now = writes.now();
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
