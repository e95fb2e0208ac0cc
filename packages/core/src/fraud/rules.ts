import type { FraudConfig } from '../config/fraud';
import type { OnehopLogger } from '../engine/logger';
import type { FingerprintQuery, FraudFinding, ParticipantRecord, ReferralRecord } from '../store/records';
import type { Awaitable } from '../store/store';
import { isDisposableDomain, isDisposableDomainLoading } from './disposable-domains';

/** What a rule may ask the store, answered from indexes. */
export interface FraudSignals {
  /** How many stored fingerprints match. */
  countFingerprints(query: FingerprintQuery): Promise<number>;
  /** How many referrals a referrer got at or after `since`. */
  countReferralsSince(referrerId: string, since: Date): Promise<number>;
}

/** The keyed hashes of what the caller passed; null when not passed. */
export interface SignalHashes {
  ip: string | null;
  device: string | null;
  payment: string | null;
}

/** A sign-up about to be attributed. */
export interface AttributionCheck {
  stage: 'attribution';
  referrer: ParticipantRecord;
  refereeId: string;
  /** The referee's email, normalised (`normalizeEmail`), if given. */
  refereeEmail: string | null;
  /** The application says the referee paid before this sign-up. */
  existingCustomer: boolean;
  hashes: SignalHashes;
  at: Date;
  config: FraudConfig;
  signals: FraudSignals;
}

/** A purchase (or a sign-up in a pay-per-sign-up program) about to earn a commission line. */
export interface AccrualCheck {
  stage: 'accrual';
  referrer: ParticipantRecord;
  referral: ReferralRecord;
  /** Null for a sign-up accrual. */
  purchase: { eventId: string; amount: number; occurredAt: Date } | null;
  /** The referrer's line this event would create (0 when none is due). */
  commissionAmount: number;
  hashes: SignalHashes;
  at: Date;
  config: FraudConfig;
  signals: FraudSignals;
}

export type FraudCheck = AttributionCheck | AccrualCheck;

/**
 * What a rule decides. `null` allows. `review` holds the referral (at
 * attribution) or the commission line (at accrual) for a person. `reject`
 * refuses the attribution, or at accrual rejects the referral; with
 * `target: 'commission'` it only refuses this event's line.
 */
export type FraudVerdict = Omit<FraudFinding, 'rule'> & { target?: 'referral' | 'commission' };

/** A fraud rule: pluggable, pure apart from the signals it reads. */
export interface FraudRule {
  /** Stable name, stored with each finding. */
  name: string;
  check(input: FraudCheck): Awaitable<FraudVerdict | null>;
}

const HOUR_MS = 3_600_000;
const since = (at: Date, hours: number) => new Date(at.getTime() - hours * HOUR_MS);

/** Self-referral: same user id or email at attribution (also checked before any rule), same device; same payment method at accrual, and at an attribution by a purchase's promo code. */
export const selfReferralRule: FraudRule = {
  name: 'self_referral',
  check(input) {
    if (!input.config.selfReferral || (input.stage === 'accrual' && !input.hashes.payment)) return null;
    return selfReferral(input);
  },
};

async function selfReferral(input: FraudCheck): Promise<FraudVerdict | null> {
  const { referrer, hashes, signals } = input;
  const reject = (match: string): FraudVerdict => ({ action: 'reject', reason: 'SELF_REFERRAL', details: { match, referrerId: referrer.userId } });
  if (input.stage === 'attribution') {
    if (input.refereeId === referrer.userId) return reject('user_id');
    if (input.refereeEmail !== null && input.refereeEmail === referrer.emailNormalized) return reject('email');
    if (hashes.device && (await signals.countFingerprints({ kind: 'device', hash: hashes.device, userId: referrer.userId })) > 0) return reject('device');
    // A sign-up carries a payment fingerprint only when a purchase's promo code makes it.
  }
  if (hashes.payment && (await signals.countFingerprints({ kind: 'payment', hash: hashes.payment, userId: referrer.userId })) > 0) return reject('payment');
  return null;
}

/** Payment providers' clocks and the application's disagree a little: a purchase this much before the attribution still counts as after it. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A referee who paid before being referred is not a new customer: at
 * attribution when the application says so, at accrual when a purchase
 * occurred before the attribution (beyond a few minutes of clock skew).
 */
export const existingCustomerRule: FraudRule = {
  name: 'existing_customer',
  check(input) {
    if (!input.config.existingCustomer) return null;
    const paidBefore =
      input.stage === 'attribution'
        ? input.existingCustomer
        : input.purchase !== null && input.purchase.occurredAt.getTime() < input.referral.attributedAt.getTime() - CLOCK_SKEW_MS;
    return paidBefore ? { action: 'reject', reason: 'EXISTING_CUSTOMER', details: input.stage === 'accrual' ? { purchaseEventId: input.purchase!.eventId } : {} } : null;
  },
};

/** Same IP as the referrer's recent sign-ins, or as several of their recent referees: review, never reject (households share addresses). */
export const ipMatchRule: FraudRule = {
  name: 'ip_match',
  check: (input) => (input.stage !== 'attribution' || input.config.ipMatch === false || !input.hashes.ip ? null : ipMatch(input)),
};

async function ipMatch(input: AttributionCheck): Promise<FraudVerdict | null> {
  const rule = input.config.ipMatch;
  if (rule === false || !input.hashes.ip) return null;
  const from = since(input.at, rule.windowHours);
  const { referrer, signals } = input;
  const hash = input.hashes.ip;
  if ((await signals.countFingerprints({ kind: 'ip', hash, userId: referrer.userId, role: 'signin', since: from })) > 0) {
    return { action: 'review', reason: 'SAME_IP_AS_REFERRER', details: { windowHours: rule.windowHours } };
  }
  const referees = await signals.countFingerprints({ kind: 'ip', hash, role: 'signup', referrerId: referrer.userId, since: from });
  if (referees + 1 >= rule.refereesThreshold) {
    return { action: 'review', reason: 'SAME_IP_AS_REFEREES', details: { referees: referees + 1, windowHours: rule.windowHours } };
  }
  return null;
}

/** Too many attributions to one referrer, or sign-ups from one IP, in a window. */
export const velocityRule: FraudRule = {
  name: 'velocity',
  check: (input) => (input.stage !== 'attribution' ? null : velocity(input)),
};

async function velocity(input: AttributionCheck): Promise<FraudVerdict | null> {
  const { referrerVelocity, ipVelocity } = input.config;
  if (referrerVelocity) {
    const count = (await input.signals.countReferralsSince(input.referrer.userId, since(input.at, referrerVelocity.windowHours))) + 1;
    if (count > referrerVelocity.max) {
      return { action: referrerVelocity.action, reason: 'REFERRER_VELOCITY', details: { count, max: referrerVelocity.max, windowHours: referrerVelocity.windowHours } };
    }
  }
  if (ipVelocity && input.hashes.ip) {
    const count = (await input.signals.countFingerprints({ kind: 'ip', hash: input.hashes.ip, role: 'signup', since: since(input.at, ipVelocity.windowHours) })) + 1;
    if (count > ipVelocity.max) {
      return { action: ipVelocity.action, reason: 'IP_VELOCITY', details: { count, max: ipVelocity.max, windowHours: ipVelocity.windowHours } };
    }
  }
  return null;
}

/** A disposable email domain: review. The predicate can be replaced (`createOnehop({ fraud: { isDisposableDomain } })`). */
export function disposableEmailRule(isDisposable: (domain: string) => boolean): FraudRule {
  return disposableRule(isDisposable);
}

/** The disposable-email rule over a predicate that may be asynchronous (the default one loads its list on first use). */
function disposableRule(isDisposable: (domain: string) => Awaitable<boolean>): FraudRule {
  const verdict = (domain: string, disposable: boolean): FraudVerdict | null =>
    disposable ? { action: 'review', reason: 'DISPOSABLE_EMAIL', details: { domain } } : null;
  return {
    name: 'disposable_email',
    check(input) {
      if (input.stage !== 'attribution' || !input.config.disposableEmail || input.refereeEmail === null) return null;
      const domain = input.refereeEmail.slice(input.refereeEmail.lastIndexOf('@') + 1);
      const answer = isDisposable(domain);
      return answer instanceof Promise ? answer.then((disposable) => verdict(domain, disposable)) : verdict(domain, answer);
    },
  };
}

/** A referrer above N referrals in a window needs verification: further referrals are held. */
export const referrerVolumeRule: FraudRule = {
  name: 'referrer_volume',
  check: (input) => (input.stage !== 'attribution' || !input.config.referrerVolume ? null : referrerVolume(input)),
};

async function referrerVolume(input: AttributionCheck): Promise<FraudVerdict | null> {
  const rule = input.config.referrerVolume!;
  const count = (await input.signals.countReferralsSince(input.referrer.userId, since(input.at, rule.windowHours))) + 1;
  return count > rule.max ? { action: 'review', reason: 'REFERRER_NEEDS_VERIFICATION', details: { count, max: rule.max, windowHours: rule.windowHours } } : null;
}

/** A commission line above the program's threshold: review. */
export const highValueRule: FraudRule = {
  name: 'high_value',
  check(input) {
    const rule = input.config.highValueCommission;
    if (input.stage !== 'accrual' || !rule || input.commissionAmount <= rule.threshold) return null;
    return { action: 'review', reason: 'HIGH_VALUE_COMMISSION', details: { amount: input.commissionAmount, threshold: rule.threshold } };
  },
};

/** A purchase below the program's minimum earns no commission (the referral stands). */
export const minimumPurchaseRule: FraudRule = {
  name: 'minimum_purchase',
  check(input) {
    if (input.stage !== 'accrual' || input.purchase === null || input.purchase.amount >= input.config.minimumPurchase) return null;
    return {
      action: 'reject',
      target: 'commission',
      reason: 'BELOW_MINIMUM_PURCHASE',
      details: { amount: input.purchase.amount, minimum: input.config.minimumPurchase },
    };
  },
};

/** The names of the built-in rules. */
const BUILT_IN_NAMES = new Set(builtInRules().map((r) => r.name));

/** Whether `rules` holds a rule of the program's own (it may read anything, so what it decides cannot be guarded by versions). */
export const hasOwnRules = (rules: FraudRule[]) => rules.some((r) => !BUILT_IN_NAMES.has(r.name));

/** The built-in rules in the order they run. */
export function builtInRules(isDisposable: (domain: string) => boolean = isDisposableDomain): FraudRule[] {
  // The default list is loaded at the rule's first check, not before.
  const disposable = disposableRule(isDisposable === isDisposableDomain ? isDisposableDomainLoading : isDisposable);
  return [selfReferralRule, existingCustomerRule, minimumPurchaseRule, ipMatchRule, velocityRule, disposable, referrerVolumeRule, highValueRule];
}

/** A rule's finding with what it targets: the referral, or only this event's commission line. */
export type TargetedFinding = FraudFinding & { target: 'referral' | 'commission' };

/** Everything the rules found, in rule order: every rule runs, so an admin sees all reasons at once. */
export async function runRules(rules: FraudRule[], input: FraudCheck, logger?: OnehopLogger): Promise<(FraudFinding & { target: 'referral' | 'commission' })[]> {
  const findings: TargetedFinding[] = [];
  for (const rule of rules) {
    // Most rules answer at once for most events; await only those that read the store.
    const answer = rule.check(input);
    const verdict = answer instanceof Promise ? await answer : answer;
    if (!verdict) continue;
    const target = verdict.target ?? 'referral';
    findings.push({ rule: rule.name, action: verdict.action, reason: verdict.reason, details: verdict.details, target });
    // Ids and codes only: a rule's details may quote an address or a domain.
    logger?.info?.('onehop: fraud rule decided', {
      programId: input.referrer.programId,
      referrerId: input.referrer.userId,
      stage: input.stage,
      rule: rule.name,
      action: verdict.action,
      reason: verdict.reason,
      target,
    });
  }
  return findings;
}
