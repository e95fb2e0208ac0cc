import { describe, expect, it } from 'vitest';
import { type FraudConfig, fraudConfigSchema } from '../config/fraud';
import type { FingerprintQuery, FingerprintRecord, ParticipantRecord, ReferralRecord } from '../store/records';
import {
  type AccrualCheck,
  type AttributionCheck,
  builtInRules,
  disposableEmailRule,
  existingCustomerRule,
  type FraudSignals,
  highValueRule,
  ipMatchRule,
  minimumPurchaseRule,
  referrerVolumeRule,
  runRules,
  selfReferralRule,
  velocityRule,
} from './rules';

const AT = new Date('2026-03-15T12:00:00.000Z');
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(AT.getTime() - hours * HOUR);
const scope = { programId: 'p', mode: 'mock' } as const;

const alice: ParticipantRecord = {
  ...scope,
  userId: 'alice',
  email: 'Alice.Smith@gmail.com',
  emailNormalized: 'alicesmith@gmail.com',
  code: 'ALICE123',
  status: 'active',
  termsVersion: null,
  enrolledAt: ago(1000),
  updatedAt: ago(1000),
  groupId: null,
  customTerms: null,
};
const referral: ReferralRecord = {
  ...scope,
  id: 'rfl_1',
  referrerId: 'alice',
  refereeId: 'bob',
  code: 'ALICE123',
  status: 'pending',
  statusReason: null,
  source: null,
  country: null,
  refereeEmailNormalized: null,
  clickedAt: null,
  attributedAt: ago(24),
  qualifiedAt: null,
  purchaseCount: 0,
  revenue: 0,
  updatedAt: ago(24),
};

/** The store's answers, from a list of fingerprints and the times of alice's referrals: what the rules read, nothing more. */
function signals(fingerprints: Omit<FingerprintRecord, 'programId' | 'mode' | 'id'>[] = [], referralTimes: Date[] = []): FraudSignals {
  const matches = (f: Omit<FingerprintRecord, 'programId' | 'mode' | 'id'>, q: FingerprintQuery) =>
    f.kind === q.kind &&
    f.hash === q.hash &&
    (q.role === undefined || f.role === q.role) &&
    (q.userId === undefined || f.userId === q.userId) &&
    (q.referrerId === undefined || f.referrerId === q.referrerId) &&
    (q.since === undefined || f.at.getTime() >= q.since.getTime());
  return {
    countFingerprints: async (q) => fingerprints.filter((f) => matches(f, q)).length,
    countReferralsSince: async (referrerId, since) => (referrerId === 'alice' ? referralTimes.filter((t) => t.getTime() >= since.getTime()).length : 0),
  };
}

const config = (input: Record<string, unknown> = {}): FraudConfig => fraudConfigSchema.parse(input);
const noHashes = { ip: null, device: null, payment: null };

const attribution = (extra: Partial<AttributionCheck> = {}): AttributionCheck => ({
  stage: 'attribution',
  referrer: alice,
  refereeId: 'bob',
  refereeEmail: null,
  existingCustomer: false,
  hashes: noHashes,
  at: AT,
  config: config(),
  signals: signals(),
  ...extra,
});
const accrual = (extra: Partial<AccrualCheck> = {}): AccrualCheck => ({
  stage: 'accrual',
  referrer: alice,
  referral,
  purchase: { eventId: 'pi_1', amount: 4900, occurredAt: AT },
  commissionAmount: 490,
  hashes: noHashes,
  at: AT,
  config: config(),
  signals: signals(),
  ...extra,
});

describe('self_referral', () => {
  it('rejects the referrer’s own user id, normalised e-mail, device, or (at accrual) payment method', async () => {
    expect(await selfReferralRule.check(attribution({ refereeId: 'alice' }))).toEqual({
      action: 'reject',
      reason: 'SELF_REFERRAL',
      details: { match: 'user_id', referrerId: 'alice' },
    });
    expect(await selfReferralRule.check(attribution({ refereeEmail: 'alicesmith@gmail.com' }))).toMatchObject({ action: 'reject', details: { match: 'email' } });
    const device = signals([{ userId: 'alice', kind: 'device', hash: 'd1', role: 'signin', referrerId: null, at: ago(2000) }]);
    expect(await selfReferralRule.check(attribution({ hashes: { ...noHashes, device: 'd1' }, signals: device }))).toMatchObject({
      action: 'reject',
      details: { match: 'device' },
    });
    const card = signals([{ userId: 'alice', kind: 'payment', hash: 'c1', role: 'purchase', referrerId: null, at: ago(2000) }]);
    expect(await selfReferralRule.check(accrual({ hashes: { ...noHashes, payment: 'c1' }, signals: card }))).toMatchObject({
      action: 'reject',
      details: { match: 'payment' },
    });
  });

  it('rejects a sign-up made with the referrer’s payment method (a promo code redeemed at checkout), not with another', async () => {
    const card = signals([{ userId: 'alice', kind: 'payment', hash: 'c1', role: 'signin', referrerId: null, at: ago(2000) }]);
    expect(await selfReferralRule.check(attribution({ hashes: { ...noHashes, payment: 'c1' }, signals: card }))).toEqual({
      action: 'reject',
      reason: 'SELF_REFERRAL',
      details: { match: 'payment', referrerId: 'alice' },
    });
    expect(await selfReferralRule.check(attribution({ hashes: { ...noHashes, payment: 'c2' }, signals: card }))).toBeNull();
    expect(await selfReferralRule.check(attribution({ hashes: { ...noHashes, payment: 'c1' }, signals: card, config: config({ selfReferral: false }) }))).toBeNull();
  });

  it('allows another person, another device, and an accrual without a payment fingerprint; nothing when turned off', async () => {
    const device = signals([{ userId: 'carol', kind: 'device', hash: 'd1', role: 'signin', referrerId: null, at: ago(1) }]);
    expect(await selfReferralRule.check(attribution({ refereeEmail: 'bob@example.com', hashes: { ...noHashes, device: 'd1' }, signals: device }))).toBeNull();
    expect(await selfReferralRule.check(accrual())).toBeNull();
    expect(await selfReferralRule.check(attribution({ refereeId: 'alice', config: config({ selfReferral: false }) }))).toBeNull();
  });
});

describe('existing_customer', () => {
  it('at attribution: rejects when the application says the referee paid before', () => {
    expect(existingCustomerRule.check(attribution({ existingCustomer: true }))).toEqual({ action: 'reject', reason: 'EXISTING_CUSTOMER', details: {} });
    expect(existingCustomerRule.check(attribution())).toBeNull();
    expect(existingCustomerRule.check(attribution({ existingCustomer: true, config: config({ existingCustomer: false }) }))).toBeNull();
  });

  it('at accrual: rejects a purchase more than five minutes before the attribution; five minutes of clock skew still count as after', () => {
    const at = (ms: number) => accrual({ purchase: { eventId: 'pi_1', amount: 4900, occurredAt: new Date(referral.attributedAt.getTime() + ms) } });
    expect(existingCustomerRule.check(at(-5 * 60_000 - 1))).toEqual({ action: 'reject', reason: 'EXISTING_CUSTOMER', details: { purchaseEventId: 'pi_1' } });
    expect(existingCustomerRule.check(at(-5 * 60_000))).toBeNull();
    expect(existingCustomerRule.check(accrual({ purchase: null }))).toBeNull();
  });
});

describe('minimum_purchase', () => {
  it('refuses only this purchase’s line (target commission) below the minimum; at or above it, nothing', () => {
    const c = config({ minimumPurchase: 1000 });
    expect(minimumPurchaseRule.check(accrual({ config: c, purchase: { eventId: 'pi_1', amount: 999, occurredAt: AT } }))).toEqual({
      action: 'reject',
      target: 'commission',
      reason: 'BELOW_MINIMUM_PURCHASE',
      details: { amount: 999, minimum: 1000 },
    });
    expect(minimumPurchaseRule.check(accrual({ config: c, purchase: { eventId: 'pi_1', amount: 1000, occurredAt: AT } }))).toBeNull();
    expect(minimumPurchaseRule.check(attribution({ config: c }))).toBeNull();
  });
});

describe('ip_match', () => {
  const ip = { ...noHashes, ip: 'ip1' };
  it('reviews a sign-up from the IP the referrer signed in from within the window (30 days by default)', async () => {
    const s = (hoursAgo: number) => signals([{ userId: 'alice', kind: 'ip', hash: 'ip1', role: 'signin', referrerId: null, at: ago(hoursAgo) }]);
    expect(await ipMatchRule.check(attribution({ hashes: ip, signals: s(24 * 30) }))).toEqual({
      action: 'review',
      reason: 'SAME_IP_AS_REFERRER',
      details: { windowHours: 720 },
    });
    expect(await ipMatchRule.check(attribution({ hashes: ip, signals: s(24 * 30 + 1) }))).toBeNull();
  });

  it('reviews the third sign-up from one IP among a referrer’s referees (the threshold counts this one)', async () => {
    const referees = (n: number) =>
      signals(
        Array.from({ length: n }, (_, i) => ({ userId: `referee-${i}`, kind: 'ip' as const, hash: 'ip1', role: 'signup' as const, referrerId: 'alice', at: ago(1) })),
      );
    expect(await ipMatchRule.check(attribution({ hashes: ip, signals: referees(1) }))).toBeNull();
    expect(await ipMatchRule.check(attribution({ hashes: ip, signals: referees(2) }))).toEqual({
      action: 'review',
      reason: 'SAME_IP_AS_REFEREES',
      details: { referees: 3, windowHours: 720 },
    });
    expect(await ipMatchRule.check(attribution({ hashes: ip, signals: referees(2), config: config({ ipMatch: false }) }))).toBeNull();
    expect(await ipMatchRule.check(attribution({ signals: referees(2) }))).toBeNull();
  });
});

describe('velocity', () => {
  it('acts on the referral above the referrer’s maximum in the window, with the configured action', async () => {
    const c = config({ referrerVelocity: { max: 2, windowHours: 1, action: 'reject' } });
    expect(await velocityRule.check(attribution({ config: c, signals: signals([], [ago(0.5)]) }))).toBeNull();
    expect(await velocityRule.check(attribution({ config: c, signals: signals([], [ago(0.5), ago(0.9)]) }))).toEqual({
      action: 'reject',
      reason: 'REFERRER_VELOCITY',
      details: { count: 3, max: 2, windowHours: 1 },
    });
    // Older than the window: not counted.
    expect(await velocityRule.check(attribution({ config: c, signals: signals([], [ago(0.5), ago(1.1)]) }))).toBeNull();
  });

  it('reviews the sixth sign-up from one IP within a day by default', async () => {
    const signups = (n: number) =>
      signals(Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, kind: 'ip' as const, hash: 'ip1', role: 'signup' as const, referrerId: `r${i}`, at: ago(2) })));
    const c = config({ ipMatch: false });
    expect(await velocityRule.check(attribution({ config: c, hashes: { ...noHashes, ip: 'ip1' }, signals: signups(4) }))).toBeNull();
    expect(await velocityRule.check(attribution({ config: c, hashes: { ...noHashes, ip: 'ip1' }, signals: signups(5) }))).toEqual({
      action: 'review',
      reason: 'IP_VELOCITY',
      details: { count: 6, max: 5, windowHours: 24 },
    });
    expect(await velocityRule.check(accrual({ hashes: { ...noHashes, ip: 'ip1' }, signals: signups(5) }))).toBeNull();
  });
});

describe('disposable_email', () => {
  it('reviews a referee e-mail on a disposable domain, by the predicate given', () => {
    const rule = disposableEmailRule((domain) => domain === 'throwaway.test');
    expect(rule.check(attribution({ refereeEmail: 'bob@throwaway.test' }))).toEqual({
      action: 'review',
      reason: 'DISPOSABLE_EMAIL',
      details: { domain: 'throwaway.test' },
    });
    expect(rule.check(attribution({ refereeEmail: 'bob@example.com' }))).toBeNull();
    expect(rule.check(attribution())).toBeNull();
    expect(rule.check(attribution({ refereeEmail: 'bob@throwaway.test', config: config({ disposableEmail: false }) }))).toBeNull();
  });
});

describe('referrer_volume', () => {
  it('holds referrals above the maximum in the window for verification', async () => {
    const c = config({ referrerVolume: { max: 2, windowHours: 24 } });
    expect(await referrerVolumeRule.check(attribution({ config: c, signals: signals([], [ago(1)]) }))).toBeNull();
    expect(await referrerVolumeRule.check(attribution({ config: c, signals: signals([], [ago(1), ago(23)]) }))).toEqual({
      action: 'review',
      reason: 'REFERRER_NEEDS_VERIFICATION',
      details: { count: 3, max: 2, windowHours: 24 },
    });
    expect(await referrerVolumeRule.check(attribution({ signals: signals([], [ago(1), ago(2), ago(3)]) }))).toBeNull();
  });
});

describe('high_value', () => {
  it('reviews a commission line above the threshold, not one at it', () => {
    const c = config({ highValueCommission: { threshold: 10_000 } });
    expect(highValueRule.check(accrual({ config: c, commissionAmount: 10_001 }))).toEqual({
      action: 'review',
      reason: 'HIGH_VALUE_COMMISSION',
      details: { amount: 10_001, threshold: 10_000 },
    });
    expect(highValueRule.check(accrual({ config: c, commissionAmount: 10_000 }))).toBeNull();
    expect(highValueRule.check(accrual({ commissionAmount: 1_000_000 }))).toBeNull();
  });
});

describe('runRules', () => {
  it('runs every built-in rule and reports all findings in rule order, each with its target', async () => {
    const c = config({ minimumPurchase: 5000, highValueCommission: { threshold: 100 } });
    const findings = await runRules(
      builtInRules(() => false),
      accrual({ config: c, purchase: { eventId: 'pi_1', amount: 4900, occurredAt: ago(48) }, commissionAmount: 490 }),
    );
    expect(findings.map((f) => [f.rule, f.action, f.reason, f.target])).toEqual([
      ['existing_customer', 'reject', 'EXISTING_CUSTOMER', 'referral'],
      ['minimum_purchase', 'reject', 'BELOW_MINIMUM_PURCHASE', 'commission'],
      ['high_value', 'review', 'HIGH_VALUE_COMMISSION', 'referral'],
    ]);
    expect(
      await runRules(
        builtInRules(() => false),
        attribution(),
      ),
    ).toEqual([]);
  });
});
