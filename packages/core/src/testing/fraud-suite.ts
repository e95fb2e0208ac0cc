// Over 300 lines: one table of fraud scenarios and the checks every scenario runs, kept together so the table stays one list.
import { type AttributeInput, keyedHash, type Onehop, type ProgramConfigInput, type RecordPurchaseInput } from '@onehop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectBalanced, type Setup } from './money-suite';

/** The key the conformance suite's programs hash IPs, devices and payment fingerprints with. */
export const TEST_HASH_KEY = 'conformance-suite-hash-key-0123456789abcdef';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PERCENT_10 = { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, holdingDays: 30 } as const;

/** One fraud scenario: what happened before, the sign-up, and what the engine must decide. */
interface Scenario {
  name: string;
  program?: Partial<ProgramConfigInput>;
  /** Steps before the attribution under test (the referrer `alice` is enrolled with email alice.smith@gmail.com). */
  before?: (onehop: Onehop) => Promise<void>;
  attribute: Omit<AttributeInput, 'code'>;
  /** Expected decision at attribution. */
  attribution: { reject: string } | { review: string[] } | 'allow';
  /** A purchase after the attribution and the expected outcome for it. */
  purchase?: { input: Partial<RecordPurchaseInput>; expect: 'pending' | 'on_hold' | { ignored: string } | { skipped: string } };
}

const scenarios: Scenario[] = [
  { name: 'self-referral by user id → reject', attribute: { refereeId: 'alice' }, attribution: { reject: 'SELF_REFERRAL' } },
  {
    name: 'self-referral by gmail address with dots and +tag → reject',
    attribute: { refereeId: 'bob', email: 'Alice.Smith+ref@googlemail.com' },
    attribution: { reject: 'SELF_REFERRAL' },
  },
  {
    name: 'self-referral by device → reject',
    before: async (o) => o.recordSignIn({ userId: 'alice', deviceId: 'device-1' }),
    attribute: { refereeId: 'bob', deviceId: 'DEVICE-1' },
    attribution: { reject: 'SELF_REFERRAL' },
  },
  {
    name: 'self-referral by payment fingerprint at the purchase → referral rejected, nothing accrues',
    before: async (o) => o.recordSignIn({ userId: 'alice', paymentFingerprint: 'card_fp_1' }),
    attribute: { refereeId: 'bob' },
    attribution: 'allow',
    purchase: { input: { paymentFingerprint: 'card_fp_1' }, expect: { ignored: 'REFERRAL_REJECTED' } },
  },
  {
    name: 'duplicate referee → reject',
    before: async (o) => {
      await o.enroll({ userId: 'carol' });
      await o.attribute({ refereeId: 'bob', code: (await o.getParticipant('carol'))!.code });
    },
    attribute: { refereeId: 'bob' },
    attribution: { reject: 'DUPLICATE_REFEREE' },
  },
  {
    name: 'referee already a paying customer (the app says so) → reject',
    attribute: { refereeId: 'bob', existingCustomer: true },
    attribution: { reject: 'EXISTING_CUSTOMER' },
  },
  {
    name: 'referee who paid before the attribution → referral rejected at the purchase',
    attribute: { refereeId: 'bob' },
    attribution: 'allow',
    purchase: { input: { occurredAt: new Date('2026-02-01T00:00:00Z') }, expect: { ignored: 'REFERRAL_REJECTED' } },
  },
  {
    name: 'same IP as the referrer’s recent sign-in → review, commissions on hold',
    before: async (o) => o.recordSignIn({ userId: 'alice', ip: '198.51.100.7' }),
    attribute: { refereeId: 'bob', ip: '198.51.100.7' },
    attribution: { review: ['SAME_IP_AS_REFERRER'] },
    purchase: { input: {}, expect: 'on_hold' },
  },
  {
    name: 'IPv4-mapped IPv6 form of the referrer’s IP → review',
    before: async (o) => o.recordSignIn({ userId: 'alice', ip: '198.51.100.7' }),
    attribute: { refereeId: 'bob', ip: '::ffff:198.51.100.7' },
    attribution: { review: ['SAME_IP_AS_REFERRER'] },
  },
  {
    name: 'another address in the referrer’s IPv6 /64 (rotating privacy addresses) → review',
    before: async (o) => o.recordSignIn({ userId: 'alice', ip: '2001:db8:1:2:a1b2:c3d4:e5f6:1' }),
    attribute: { refereeId: 'bob', ip: '2001:DB8:1:2::77' },
    attribution: { review: ['SAME_IP_AS_REFERRER'] },
  },
  {
    name: 'an IPv6 address in another /64 than the referrer’s → allow',
    before: async (o) => o.recordSignIn({ userId: 'alice', ip: '2001:db8:1:2::1' }),
    attribute: { refereeId: 'bob', ip: '2001:db8:1:3::1' },
    attribution: 'allow',
  },
  {
    name: 'with ipv6PrefixLength 128, another address in the referrer’s /64 → allow',
    program: { fraud: { ipv6PrefixLength: 128 } },
    before: async (o) => o.recordSignIn({ userId: 'alice', ip: '2001:db8:1:2::1' }),
    attribute: { refereeId: 'bob', ip: '2001:db8:1:2::2' },
    attribution: 'allow',
  },
  {
    name: 'sign-ups from rotating addresses of one IPv6 /64 above the limit → reject',
    program: { fraud: { ipMatch: false, ipVelocity: { max: 2, windowHours: 1, action: 'reject' } } },
    before: async (o) => {
      await o.enroll({ userId: 'carol' });
      const code = (await o.getParticipant('carol'))!.code;
      await o.attribute({ refereeId: 'f1', code, ip: '2001:db8:ab:cd:1111:2222:3333:4444' });
      await o.attribute({ refereeId: 'f2', code, ip: '2001:db8:ab:cd:5555:6666:7777:8888' });
    },
    attribute: { refereeId: 'bob', ip: '2001:0db8:00ab:00cd:0000:0000:0000:0009' },
    attribution: { reject: 'IP_VELOCITY' },
  },
  {
    name: 'a third referee from one IP (fake accounts) → review',
    program: { fraud: { ipVelocity: false } },
    before: async (o) => {
      const code = (await o.getParticipant('alice'))!.code;
      await o.attribute({ refereeId: 'f1', code, ip: '203.0.113.50' });
      await o.attribute({ refereeId: 'f2', code, ip: '203.0.113.50' });
    },
    attribute: { refereeId: 'bob', ip: '203.0.113.50' },
    attribution: { review: ['SAME_IP_AS_REFEREES'] },
  },
  {
    name: 'sign-ups per IP above the limit, set to reject → reject',
    program: { fraud: { ipMatch: false, ipVelocity: { max: 2, windowHours: 1, action: 'reject' } } },
    before: async (o) => {
      await o.enroll({ userId: 'carol' });
      const code = (await o.getParticipant('carol'))!.code;
      await o.attribute({ refereeId: 'f1', code, ip: '203.0.113.60' });
      await o.attribute({ refereeId: 'f2', code, ip: '203.0.113.60' });
    },
    attribute: { refereeId: 'bob', ip: '203.0.113.60' },
    attribution: { reject: 'IP_VELOCITY' },
  },
  {
    name: 'attributions per referrer above the limit → review',
    program: { fraud: { referrerVelocity: { max: 2, windowHours: 24 } } },
    before: async (o) => {
      const code = (await o.getParticipant('alice'))!.code;
      await o.attribute({ refereeId: 'f1', code });
      await o.attribute({ refereeId: 'f2', code });
    },
    attribute: { refereeId: 'bob' },
    attribution: { review: ['REFERRER_VELOCITY'] },
  },
  {
    name: 'high-volume referrer needs verification → review',
    program: { fraud: { referrerVolume: { max: 1, windowHours: 24 * 30 } } },
    before: async (o) => {
      await o.attribute({ refereeId: 'f1', code: (await o.getParticipant('alice'))!.code });
    },
    attribute: { refereeId: 'bob' },
    attribution: { review: ['REFERRER_NEEDS_VERIFICATION'] },
  },
  { name: 'disposable email domain → review', attribute: { refereeId: 'bob', email: 'bob@mailinator.com' }, attribution: { review: ['DISPOSABLE_EMAIL'] } },
  {
    name: 'high-value commission → the line is held for review',
    program: { fraud: { highValueCommission: { threshold: 5000 } } },
    attribute: { refereeId: 'bob' },
    attribution: 'allow',
    purchase: { input: { amount: 100_000 }, expect: 'on_hold' },
  },
  {
    name: 'purchase below the minimum → no commission, the referral stands',
    program: { fraud: { minimumPurchase: 500 } },
    attribute: { refereeId: 'bob' },
    attribution: 'allow',
    purchase: { input: { amount: 499 }, expect: { skipped: 'BELOW_MINIMUM_PURCHASE' } },
  },
  {
    name: 'an ordinary referral → allowed, commission pending',
    attribute: { refereeId: 'bob', email: 'bob@example.com', ip: '192.0.2.1' },
    attribution: 'allow',
    purchase: { input: {}, expect: 'pending' },
  },
];

/** The fraud, review and audit part of the conformance suite. */
export function fraudSuite(setup: Setup, options: { propertyRuns: number }): void {
  async function program(extra: Partial<ProgramConfigInput> = {}) {
    const ctx = await setup({ commission: PERCENT_10, ...extra });
    const { participant } = await ctx.onehop.enroll({ userId: 'alice', email: 'alice.smith@gmail.com' });
    let events = 0;
    const buy = (refereeId: string, input: Partial<RecordPurchaseInput> = {}) =>
      ctx.onehop.recordPurchase({ eventId: `pi_${++events}`, refereeId, amount: 10_000, currency: 'USD', occurredAt: ctx.clock.now(), ...input });
    return { ...ctx, code: participant.code, buy };
  }

  describe('fraud rules: each seed scenario and its decision', () => {
    it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
      const { onehop, code, buy } = await program(s.program);
      await s.before?.(onehop);
      const result = await onehop.attribute({ ...s.attribute, code });
      if (s.attribution === 'allow') {
        expect(result).toMatchObject({ ok: true, review: null });
      } else if ('reject' in s.attribution) {
        expect(result).toMatchObject({ ok: false, reason: s.attribution.reject });
        const existing = await onehop.getReferralByReferee(s.attribute.refereeId);
        if (existing) expect(existing.referrerId).not.toBe('alice');
        return;
      } else {
        if (!result.ok) throw new Error(`expected a held referral, got ${result.reason}`);
        expect(result.review?.findings.map((f) => f.reason)).toEqual(s.attribution.review);
        const queue = await onehop.listReviews();
        expect(queue.map((r) => r.entityId)).toContain(result.referral.id);
      }
      if (!s.purchase) return;
      const bought = await buy(s.attribute.refereeId, s.purchase.input);
      const want = s.purchase.expect;
      const balances = await onehop.getBalances('alice');
      if (want === 'pending' || want === 'on_hold') {
        expect(bought).toMatchObject({ status: 'recorded', commissions: [{ status: want }] });
        expect(balances[want === 'pending' ? 'pending' : 'onHold']).toBeGreaterThan(0);
      } else if ('ignored' in want) {
        expect(bought).toMatchObject({ status: 'ignored', reason: want.ignored });
        expect((await onehop.getReferralByReferee(s.attribute.refereeId))?.status).toBe('rejected');
        expect(balances).toMatchObject({ pending: 0, onHold: 0, withdrawable: 0 });
      } else {
        expect(bought).toMatchObject({ status: 'recorded', commissions: [], skipped: [{ kind: 'referral', reason: want.skipped }] });
        expect((await onehop.getReferralByReferee(s.attribute.refereeId))?.status).toBe('qualified');
      }
      expect(balances.withdrawable).toBe(0);
      await expectBalanced(onehop, ['alice', s.attribute.refereeId]);
    });
  });

  describe('review queue and admin decisions', () => {
    it('lists held items oldest first with reasons, paginated by cursor', async () => {
      const { onehop, code, clock } = await program();
      for (const referee of ['r1', 'r2', 'r3']) {
        await onehop.attribute({ refereeId: referee, code, email: `${referee}@mailinator.com` });
        clock.advance(1000);
      }
      const first = await onehop.listReviews({ limit: 2 });
      expect(first.map((r) => r.findings[0]!.reason)).toEqual(['DISPOSABLE_EMAIL', 'DISPOSABLE_EMAIL']);
      const second = await onehop.listReviews({ limit: 2, cursor: first[1]!.id });
      const ids = [...first, ...second].map((r) => r.entityId);
      const referrals = await onehop.listReferrals('alice');
      expect(ids).toEqual(referrals.map((r) => r.id));
      // Deciding an item does not shift the pages after it.
      await onehop.decideReview({ reviewId: first[1]!.id, decision: 'approve', adminId: 'admin-1', reason: 'looks real' });
      expect((await onehop.listReviews({ limit: 2, cursor: first[1]!.id })).map((r) => r.id)).toEqual(second.map((r) => r.id));
    });

    it('approving a held referral releases its commissions into the normal flow; they never skip the review', async () => {
      const { onehop, code, buy, clock } = await program();
      const held = await onehop.attribute({ refereeId: 'bob', code, email: 'bob@mailinator.com' });
      if (!held.ok || !held.review) throw new Error('expected a held referral');
      await buy('bob');
      clock.advance(31 * DAY);
      expect(await onehop.approveDue()).toEqual({ approved: 0 });
      expect(await onehop.getBalances('alice')).toMatchObject({ onHold: 1000, withdrawable: 0 });
      await expect(onehop.decideReview({ reviewId: held.review.id, decision: 'approve', adminId: 'admin-1', reason: '' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'reason',
      });
      const decided = await onehop.decideReview({ reviewId: held.review.id, decision: 'approve', adminId: 'admin-1', reason: 'called the customer' });
      expect(decided).toMatchObject({ status: 'approved', decidedBy: 'admin-1', decisionReason: 'called the customer' });
      expect(await onehop.getBalances('alice')).toMatchObject({ onHold: 0, pending: 1000 });
      expect(await onehop.approveDue()).toEqual({ approved: 1 });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 1000 });
      await expect(onehop.decideReview({ reviewId: held.review.id, decision: 'reject', adminId: 'admin-1', reason: 'again' })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
      });
      await expectBalanced(onehop, ['alice']);
    });

    it('rejecting a held commission rejects it; the referral stands', async () => {
      const { onehop, code, buy } = await program({ fraud: { highValueCommission: { threshold: 100 } } });
      await onehop.attribute({ refereeId: 'bob', code });
      const bought = await buy('bob');
      if (bought.status !== 'recorded') throw new Error('expected a recorded purchase');
      const [review] = await onehop.listReviews();
      expect(review).toMatchObject({ entityType: 'commission', entityId: bought.commissions[0]!.id });
      await onehop.decideReview({ reviewId: review!.id, decision: 'reject', adminId: 'admin-1', reason: 'card testing' });
      expect(await onehop.getCommission(bought.commissions[0]!.id)).toMatchObject({ status: 'rejected', statusReason: 'card testing' });
      expect(await onehop.getBalances('alice')).toMatchObject({ onHold: 0, pending: 0, withdrawable: 0 });
      expect((await onehop.getReferralByReferee('bob'))?.status).toBe('qualified');
      await expectBalanced(onehop, ['alice']);
    });

    it('rejecting a referral rejects unpaid commissions and claws back paid ones through new ledger entries', async () => {
      const { onehop, code, buy, clock } = await program();
      await onehop.attribute({ refereeId: 'bob', code });
      await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'store_credit' } });
      await buy('bob'); // 1000, paid out below
      clock.advance(31 * DAY);
      await onehop.approveDue();
      const payout = await onehop.requestPayout({ userId: 'alice' });
      await onehop.approvePayout({ payoutId: payout.id, adminId: 'admin-1' });
      await onehop.markPayoutPaid({ payoutId: payout.id, adminId: 'admin-1', externalReference: 'tr_1' });
      await buy('bob'); // 1000, still pending
      const ledgerBefore = (await onehop.listLedger('alice')).length;
      const referral = (await onehop.getReferralByReferee('bob'))!;
      const rejected = await onehop.rejectReferral({ referralId: referral.id, adminId: 'admin-1', reason: 'colluding accounts' });
      expect(rejected).toMatchObject({ status: 'rejected', statusReason: 'colluding accounts' });
      expect(await onehop.getBalances('alice')).toMatchObject({ pending: 0, paid: 1000, withdrawable: 0, negativeCarry: 1000 });
      const statuses = (await onehop.listCommissions('alice')).map((c) => c.status);
      expect(statuses).toEqual(['rejected', 'rejected']);
      expect((await onehop.listLedger('alice')).slice(ledgerBefore).map((e) => [e.kind, e.bucket, e.amount])).toEqual([
        ['rejection', 'withdrawable', -1000],
        ['rejection', 'pending', -1000],
      ]);
      expect(await buy('bob')).toMatchObject({ status: 'ignored', reason: 'REFERRAL_REJECTED' });
      await expect(onehop.rejectReferral({ referralId: referral.id, adminId: 'admin-1', reason: 'twice' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      await expectBalanced(onehop, ['alice']);
    });

    it('suspending a referrer stops new accruals; reinstating resumes them', async () => {
      const { onehop, code, buy } = await program();
      await onehop.attribute({ refereeId: 'bob', code });
      await onehop.suspendParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'investigating' });
      expect(await buy('bob')).toMatchObject({ status: 'recorded', commissions: [], skipped: [{ reason: 'REFERRER_SUSPENDED' }] });
      await onehop.reinstateParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'cleared' });
      expect(await buy('bob')).toMatchObject({ status: 'recorded', commissions: [{ status: 'pending' }] });
    });
  });

  describe('audit trail', () => {
    it('records every status change with actor, before → after, reason and source; the feed pages newest first', async () => {
      const { onehop, code, buy } = await program({ fraud: { highValueCommission: { threshold: 100 } } });
      await onehop.attribute({ refereeId: 'bob', code });
      const bought = await buy('bob', { eventId: 'pi_audit' });
      if (bought.status !== 'recorded') throw new Error('expected a recorded purchase');
      const commissionId = bought.commissions[0]!.id;
      const [review] = await onehop.listReviews();
      await onehop.decideReview({ reviewId: review!.id, decision: 'approve', adminId: 'admin-7', reason: 'verified' });
      const trail = await onehop.auditTrail('commission', commissionId);
      expect(trail.map((a) => [a.action, a.before, a.after])).toEqual([
        ['commission.accrued', null, 'on_hold'],
        ['commission.held', null, 'in_review'],
        ['commission.released', 'on_hold', 'pending'],
      ]);
      expect(trail[0]).toMatchObject({ actor: { type: 'system', id: null }, sourceEvent: 'pi_audit' });
      expect(trail[2]).toMatchObject({ actor: { type: 'admin', id: 'admin-7' }, reason: 'verified' });
      const feed = await onehop.recentActivity({ limit: 3 });
      expect(feed[0]).toMatchObject({ action: 'commission.released' });
      const next = await onehop.recentActivity({ limit: 100, cursor: feed[2]!.id });
      const all = [...feed, ...next];
      expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
      expect(all.at(-1)).toMatchObject({ action: 'participant.enrolled' });
      for (let i = 1; i < all.length; i++) expect(all[i]!.at.getTime()).toBeLessThanOrEqual(all[i - 1]!.at.getTime());
    });
  });

  describe('privacy', () => {
    it('stores IPs and devices only as keyed hashes, and erases a user’s personal data with the ledger intact', async () => {
      const { onehop, code, buy, store, scope } = await program();
      await onehop.attribute({ refereeId: 'bob', code, email: 'bob@example.com', ip: '192.0.2.44', deviceId: 'dev-bob' });
      await buy('bob', { paymentFingerprint: 'fp_bob' });
      // What is stored is the keyed hash: found under it, and under nothing a keyless hash would give.
      const stored = (hash: string) => store.transaction((tx) => tx.fingerprints.count(scope, { kind: 'ip', hash, userId: 'bob' }));
      expect(await stored(keyedHash(TEST_HASH_KEY, 'ip', '192.0.2.44'))).toBe(1);
      expect(await stored(keyedHash('another-key-of-at-least-32-characters', 'ip', '192.0.2.44'))).toBe(0);
      const before = await onehop.getBalances('alice');
      await expect(onehop.eraseUser({ userId: 'bob', adminId: 'admin-1', reason: 'GDPR request' })).resolves.toMatchObject({ fingerprints: 3 });
      expect(await stored(keyedHash(TEST_HASH_KEY, 'ip', '192.0.2.44'))).toBe(0);
      expect((await onehop.getReferralByReferee('bob'))?.refereeEmailNormalized).toBeNull();
      await onehop.eraseUser({ userId: 'alice', adminId: 'admin-1', reason: 'GDPR request' });
      expect(await onehop.getParticipant('alice')).toMatchObject({ email: null, emailNormalized: null });
      expect(await onehop.getBalances('alice')).toEqual(before);
      await expectBalanced(onehop, ['alice', 'bob']);
      expect((await onehop.auditTrail('participant', 'bob')).at(-1)).toMatchObject({ action: 'participant.erased', reason: 'GDPR request' });
    });

    it('refuses an IP without a hash key, writing nothing', async () => {
      const { onehop, code } = await program({ privacy: {} });
      await expect(onehop.attribute({ refereeId: 'bob', code, ip: '192.0.2.1' })).rejects.toMatchObject({ code: 'HASH_KEY_MISSING', field: 'ip' });
      expect(await onehop.getReferralByReferee('bob')).toBeNull();
    });
  });

  describe('self-referral property', () => {
    it('no sequence of public calls makes a self-referral’s commission withdrawable', async () => {
      // The referrer's own identities: a second account with the same email (any gmail spelling), the same device, or the same card.
      const disguise = fc.constantFrom(
        { email: 'alicesmith@gmail.com' },
        { email: 'a.l.i.c.e.smith+x@googlemail.com' },
        { deviceId: 'alice-phone' },
        { card: 'alice-card' },
      );
      const step = fc.oneof(
        fc.record({ kind: fc.constant('buy' as const), amount: fc.integer({ min: 1, max: 50_000 }) }),
        fc.record({ kind: fc.constant('approve' as const) }),
        fc.record({ kind: fc.constant('payout' as const) }),
        fc.record({ kind: fc.constant('decide' as const), approve: fc.boolean() }),
      );
      await fc.assert(
        fc.asyncProperty(disguise, fc.array(step, { maxLength: 8 }), async (who, steps) => {
          const { onehop, code, buy, clock } = await program();
          await onehop.recordSignIn({ userId: 'alice', deviceId: 'alice-phone', paymentFingerprint: 'alice-card' });
          await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'store_credit' } });
          await onehop.attribute({
            refereeId: 'alice-2',
            code,
            ...('email' in who ? { email: who.email } : {}),
            ...('deviceId' in who ? { deviceId: who.deviceId } : {}),
          });
          for (const s of steps) {
            if (s.kind === 'buy') await buy('alice-2', { amount: s.amount, ...('card' in who ? { paymentFingerprint: who.card } : {}) });
            else if (s.kind === 'approve') {
              clock.advance(31 * DAY);
              await onehop.approveDue();
            } else if (s.kind === 'payout') {
              if ((await onehop.getBalances('alice')).withdrawable > 0) await onehop.requestPayout({ userId: 'alice' });
            } else {
              for (const r of await onehop.listReviews()) {
                await onehop.decideReview({ reviewId: r.id, decision: s.approve ? 'approve' : 'reject', adminId: 'admin', reason: 'decided' });
              }
            }
          }
          const balances = await onehop.getBalances('alice');
          expect(balances.withdrawable + balances.requested + balances.paid).toBe(0);
          await expectBalanced(onehop, ['alice', 'alice-2']);
        }),
        { numRuns: options.propertyRuns },
      );
    });
  });
}
