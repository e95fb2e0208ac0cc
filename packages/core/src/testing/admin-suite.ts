import { ADMIN_ACTIONS, type AdminAction, type AuthorizationRequest, type AuthorizeHook, ForbiddenError, type Onehop } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import type { SetupWith } from './outbox-suite';
import { scriptedProvider } from './payout-providers';

const DAY = 86_400_000;

/**
 * A program with one of everything an admin acts on: participants, a
 * referral with an approved commission in a requested payout, a commission
 * held for review, an approved payout, a dead letter, an invitation, a
 * payout a provider is processing and one a provider refused.
 * The fixture is built by the admin `boss`, whom every hook here allows.
 */
async function fixture(setup: SetupWith, authorize?: AuthorizeHook) {
  const bank = scriptedProvider('bank_transfer', (r) => ({ status: 'processing', externalReference: `file-${r.payout.id}` }));
  const stripe = scriptedProvider('stripe_connect', () => ({ status: 'failed', reason: 'account_closed', retryable: false }));
  const ctx = await setup(
    {
      commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, holdingDays: 30 },
      fraud: { highValueCommission: { threshold: 5000 } },
      ...(authorize ? { authorize } : {}),
    },
    { payoutProviders: [bank, stripe] },
  );
  const { onehop, clock } = ctx;
  await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
  await onehop.enroll({ userId: 'carol' });
  const bob = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', email: 'bob@example.com' });
  const dave = await onehop.attribute({ refereeId: 'dave', code: 'ALICE123' });
  if (!bob.ok || !dave.ok) throw new Error('attribution refused');
  await onehop.recordPurchase({ eventId: 'pi_bob', refereeId: 'bob', amount: 10_000, currency: 'USD', occurredAt: clock.now() });
  const held = await onehop.recordPurchase({ eventId: 'pi_dave', refereeId: 'dave', amount: 100_000, currency: 'USD', occurredAt: clock.now() });
  if (held.status !== 'recorded') throw new Error(held.message);
  const [review] = await onehop.listReviews();
  clock.advance(31 * DAY);
  await onehop.approveDue();
  await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'alice@example.com' } });
  const requested = await onehop.requestPayout({ userId: 'alice' });
  await onehop.adjustBalance({ userId: 'carol', amount: 3000, adminId: 'boss', reason: 'launch bonus' });
  await onehop.setPayoutMethod({ userId: 'carol', method: { type: 'store_credit' } });
  const approved = await onehop.approvePayout({ payoutId: (await onehop.requestPayout({ userId: 'carol' })).id, adminId: 'boss' });
  const failing = onehop.createDispatcher({ maxAttempts: 1, backoff: () => 0, handlers: { '*': () => Promise.reject(new Error('webhook 500')) } });
  await failing.runOnce();
  const [dead] = await onehop.listEvents({ status: 'dead', limit: 1 });
  const { invitation } = await onehop.invite({ inviterId: 'alice', email: 'erin@example.com', baseUrl: 'https://app.example/join' });
  const sent: Record<string, string> = {};
  for (const [userId, method] of [
    ['gus', { type: 'bank_transfer', accountHolder: 'Gus G', iban: 'DE89370400440532013000' }],
    ['hal', { type: 'stripe_connect', accountId: 'acct_1Hal' }],
  ] as const) {
    await onehop.enroll({ userId });
    await onehop.adjustBalance({ userId, amount: 2000, adminId: 'boss', reason: 'launch bonus' });
    await onehop.setPayoutMethod({ userId, method });
    sent[userId] = (await onehop.approvePayout({ payoutId: (await onehop.requestPayout({ userId })).id, adminId: 'boss' })).id;
  }
  await onehop.sendPayouts();
  if (!review || !dead) throw new Error('fixture incomplete');
  return {
    ...ctx,
    ids: {
      bobReferral: bob.referral.id,
      daveReferral: dave.referral.id,
      heldCommission: held.commissions[0]!.id,
      review: review.id,
      requested: requested.id,
      approved: approved.id,
      dead: dead.id,
      invitation: invitation.id,
      processing: sent.gus!,
      failed: sent.hal!,
    },
  };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** Every admin action once, as `adminId`, on the fixture's subjects, with the subject the hook must be asked about. */
function adminCalls({ onehop, ids }: Fixture, adminId: string): { action: AdminAction; subject: { type: string; id: string }; call: () => Promise<unknown> }[] {
  const reason = 'checked by hand';
  return [
    { action: 'participant.suspend', subject: { type: 'participant', id: 'alice' }, call: () => onehop.suspendParticipant({ userId: 'alice', adminId, reason }) },
    { action: 'participant.reinstate', subject: { type: 'participant', id: 'alice' }, call: () => onehop.reinstateParticipant({ userId: 'alice', adminId, reason }) },
    { action: 'code.replace', subject: { type: 'participant', id: 'alice' }, call: () => onehop.replaceCode({ userId: 'alice', adminId, reason }) },
    {
      action: 'review.decide',
      subject: { type: 'review', id: ids.review },
      call: () => onehop.decideReview({ reviewId: ids.review, decision: 'approve', adminId, reason }),
    },
    {
      action: 'commission.reject',
      subject: { type: 'commission', id: ids.heldCommission },
      call: () => onehop.rejectCommission({ commissionId: ids.heldCommission, adminId, reason }),
    },
    {
      action: 'referral.reject',
      subject: { type: 'referral', id: ids.daveReferral },
      call: () => onehop.rejectReferral({ referralId: ids.daveReferral, adminId, reason }),
    },
    { action: 'balance.adjust', subject: { type: 'participant', id: 'alice' }, call: () => onehop.adjustBalance({ userId: 'alice', amount: 250, adminId, reason }) },
    { action: 'payout.approve', subject: { type: 'payout', id: ids.requested }, call: () => onehop.approvePayout({ payoutId: ids.requested, adminId }) },
    {
      action: 'payout.markPaid',
      subject: { type: 'payout', id: ids.requested },
      call: () => onehop.markPayoutPaid({ payoutId: ids.requested, adminId, externalReference: 'PP-1' }),
    },
    { action: 'payout.reject', subject: { type: 'payout', id: ids.approved }, call: () => onehop.rejectPayout({ payoutId: ids.approved, adminId, reason }) },
    { action: 'user.erase', subject: { type: 'participant', id: 'bob' }, call: () => onehop.eraseUser({ userId: 'bob', adminId, reason }) },
    { action: 'event.retry', subject: { type: 'event', id: ids.dead }, call: () => onehop.retryDeadLetter({ eventId: ids.dead, adminId }) },
    {
      action: 'invitation.cancel',
      subject: { type: 'invitation', id: ids.invitation },
      call: () => onehop.cancelInvitation({ invitationId: ids.invitation, adminId, reason }),
    },
    {
      action: 'payout.settle',
      subject: { type: 'payout', id: ids.processing },
      call: () => onehop.settlePayout({ payoutId: ids.processing, outcome: 'paid', adminId }),
    },
    { action: 'payout.retry', subject: { type: 'payout', id: ids.failed }, call: () => onehop.retryPayout({ payoutId: ids.failed, adminId }) },
    {
      action: 'taxProfile.set',
      subject: { type: 'participant', id: 'carol' },
      call: () => onehop.setTaxProfile({ userId: 'carol', status: 'verified', formType: 'W-9', country: 'US', adminId }),
    },
    {
      action: 'payout.run',
      subject: { type: 'payout_run', id: 'run-admin' },
      call: () => onehop.createPayoutRun({ runId: 'run-admin', before: new Date('2030-01-01T00:00:00Z'), adminId }),
    },
    {
      action: 'participant.moveGroup',
      subject: { type: 'participant', id: 'carol' },
      call: () => onehop.moveToGroup({ userId: 'carol', groupId: 'default', adminId, reason }),
    },
    {
      action: 'participant.setTerms',
      subject: { type: 'participant', id: 'carol' },
      call: () => onehop.setParticipantTerms({ userId: 'carol', terms: { rateBps: 1500 }, adminId, reason }),
    },
  ];
}

/** Everything the fixture's program holds, read through the public API, to check what a call wrote. */
async function everything(onehop: Onehop) {
  const users = ['alice', 'bob', 'carol', 'dave', 'gus', 'hal'];
  const perUser = async <T>(read: (u: string) => Promise<T>) => Promise.all(users.map(read));
  return {
    participants: await perUser((u) => onehop.getParticipant(u)),
    codes: await perUser((u) => onehop.listCodes(u)),
    referrals: await perUser((u) => onehop.getReferralByReferee(u)),
    balances: await perUser((u) => onehop.getBalances(u)),
    ledger: await perUser((u) => onehop.listLedger(u, { limit: 1000 })),
    commissions: await perUser((u) => onehop.listCommissions(u, { limit: 1000 })),
    payouts: await perUser((u) => onehop.listPayouts(u, { limit: 1000 })),
    reviews: await Promise.all((['open', 'approved', 'rejected'] as const).map((status) => onehop.listReviews({ status }))),
    events: await Promise.all((['pending', 'delivered', 'dead'] as const).map((status) => onehop.listEvents({ status, limit: 1000 }))),
    invitations: await onehop.listInvitations({ inviterId: 'alice' }),
    activity: await onehop.recentActivity({ limit: 1000 }),
  };
}

/** The authorization hook in the program configuration, asked before every admin action. */
export function adminSuite(setup: SetupWith): void {
  describe('admin permissions', () => {
    const allowBoss: AuthorizeHook = ({ actor }) => actor.id === 'boss';

    it('a refusing hook refuses every admin action with FORBIDDEN and writes nothing but one audit line of the attempt', async () => {
      const ctx = await fixture(setup, allowBoss);
      const calls = adminCalls(ctx, 'intruder');
      expect(calls.map((c) => c.action).sort()).toEqual([...ADMIN_ACTIONS].sort());
      for (const { action, subject, call } of calls) {
        const before = await everything(ctx.onehop);
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, action).toBeInstanceOf(ForbiddenError);
        expect(error).toMatchObject({ code: 'FORBIDDEN', field: 'adminId', action, retryable: false });
        const after = await everything(ctx.onehop);
        const seen = new Set(before.activity.map((a) => a.id));
        const added = after.activity.filter((a) => !seen.has(a.id));
        expect(added, action).toHaveLength(1);
        expect(added[0]).toMatchObject({
          entityType: subject.type,
          entityId: subject.id,
          action: 'authorization.refused',
          actor: { type: 'admin', id: 'intruder' },
          before: null,
          after: null,
          reason: null,
          data: { action },
        });
        expect({ ...after, activity: after.activity.filter((a) => seen.has(a.id)) }, action).toEqual(before);
      }
      // The refused attempts sit in the subject's own trail too.
      expect((await ctx.onehop.auditTrail('payout', ctx.ids.requested)).map((a) => [a.action, a.data?.action ?? null])).toEqual([
        ['payout.requested', null],
        ['authorization.refused', 'payout.approve'],
        ['authorization.refused', 'payout.markPaid'],
      ]);
    });

    it('an allowing hook, async too, lets every admin action through and is asked with the actor, the action, the subject and the input', async () => {
      const asked: AuthorizationRequest[] = [];
      const ctx = await fixture(setup, async (request) => {
        asked.push(request);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return request.actor.id === 'boss';
      });
      asked.length = 0;
      for (const { action, subject, call } of adminCalls(ctx, 'boss')) {
        await call();
        expect(asked.at(-1), action).toMatchObject({ actor: { type: 'admin', id: 'boss' }, action, subject });
      }
      expect(asked.map((r) => r.action)).toEqual(adminCalls(ctx, 'boss').map((c) => c.action));
      const adjust = asked.find((r) => r.action === 'balance.adjust');
      expect(adjust?.input).toEqual({ userId: 'alice', amount: 250, adminId: 'boss', reason: 'checked by hand' });
      expect(await ctx.onehop.getParticipant('alice')).toMatchObject({ status: 'active' });
      expect(await ctx.onehop.getPayout(ctx.ids.requested)).toMatchObject({ status: 'paid', decidedBy: 'boss' });
      expect(await ctx.onehop.getPayout(ctx.ids.approved)).toMatchObject({ status: 'rejected' });
      expect((await ctx.onehop.recentActivity({ limit: 1000 })).filter((a) => a.action === 'authorization.refused')).toEqual([]);
    });

    it('without a hook every admin action runs for any adminId, as it always has', async () => {
      const ctx = await fixture(setup);
      for (const { call } of adminCalls(ctx, 'anyone-at-all')) await call();
      expect((await ctx.onehop.auditTrail('participant', 'alice')).find((a) => a.action === 'participant.suspended')).toMatchObject({
        actor: { type: 'admin', id: 'anyone-at-all' },
      });
      expect((await ctx.onehop.recentActivity({ limit: 1000 })).filter((a) => a.action === 'authorization.refused')).toEqual([]);
    });

    it('limits an action by its input: a support admin may adjust balances by small amounts only', async () => {
      const ctx = await fixture(setup, (request) => {
        if (request.actor.id === 'boss') return true;
        return request.actor.id === 'support' && request.action === 'balance.adjust' && Math.abs(request.input.amount) <= 1000;
      });
      expect(await ctx.onehop.adjustBalance({ userId: 'carol', amount: -500, adminId: 'support', reason: 'typo' })).toMatchObject({ withdrawable: 0 });
      await expect(ctx.onehop.adjustBalance({ userId: 'carol', amount: 5000, adminId: 'support', reason: 'bonus' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        action: 'balance.adjust',
      });
      await expect(ctx.onehop.suspendParticipant({ userId: 'carol', adminId: 'support', reason: 'spam' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await ctx.onehop.listLedger('carol')).map((e) => [e.kind, e.bucket, e.amount, e.actor.id])).toEqual([
        ['adjustment', 'withdrawable', 3000, 'boss'],
        ['payout_request', 'withdrawable', -3000, 'carol'],
        ['payout_request', 'requested', 3000, 'carol'],
        ['adjustment', 'withdrawable', -500, 'support'],
      ]);
    });

    it('only `true` allows; an error the hook throws reaches the caller unchanged and nothing is written', async () => {
      const failure = new Error('session store unreachable');
      let answer: () => unknown = () => true;
      const ctx = await fixture(setup, () => answer() as boolean);
      answer = () => 'yes';
      await expect(ctx.onehop.suspendParticipant({ userId: 'carol', adminId: 'boss', reason: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      answer = () => {
        throw failure;
      };
      const before = await everything(ctx.onehop);
      await expect(ctx.onehop.suspendParticipant({ userId: 'carol', adminId: 'boss', reason: 'x' })).rejects.toBe(failure);
      expect(await everything(ctx.onehop)).toEqual(before);
    });

    it('bad input is a ValidationError before the hook is asked; an inviter cancelling their own invitation is not an admin action', async () => {
      const asked: AuthorizationRequest[] = [];
      const ctx = await fixture(setup, (request) => {
        asked.push(request);
        return request.actor.id === 'boss';
      });
      asked.length = 0;
      await expect(ctx.onehop.suspendParticipant({ userId: 'carol', adminId: '', reason: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'adminId' });
      expect(await ctx.onehop.cancelInvitation({ invitationId: ctx.ids.invitation, inviterId: 'alice' })).toMatchObject({ status: 'cancelled' });
      expect(asked).toEqual([]);
    });
  });
}
