// Over 300 lines: the outbox scenarios share one setup and one recording dispatcher; split, each part would repeat them.
import {
  type CreateOnehopOptions,
  createOnehop,
  DOMAIN_EVENT_TYPES,
  type ManualClock,
  type Onehop,
  type OnehopEvent,
  type ProgramConfigInput,
  type Scope,
  type Store,
} from '@onehop/core';
import { expect, it } from 'vitest';
import { scriptedProvider } from './payout-providers';

export type SetupWith = (
  program?: Partial<ProgramConfigInput>,
  extra?: Partial<Omit<CreateOnehopOptions, 'store' | 'program'>>,
) => Promise<{ onehop: Onehop; clock: ManualClock; store: Store; scope: Scope }>;

const DAY = 86_400_000;
const BASE = 'https://shop.example/join';
const PERCENT = { commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } } as Partial<ProgramConfigInput>;

/** Delivers everything due, in rounds, and returns what the handler saw. */
async function drain(onehop: Onehop): Promise<OnehopEvent[]> {
  const seen: OnehopEvent[] = [];
  const dispatcher = onehop.createDispatcher({ handlers: { '*': (e) => void seen.push(e) } });
  while ((await dispatcher.runOnce()).claimed > 0);
  return seen;
}

/** The transactional outbox and its dispatcher: what is written with each change, and how it is delivered. */
export function outboxSuite(setup: SetupWith): void {
  it('writes a change’s events with it, in order, each with a stable id and the participant it concerns', async () => {
    const { onehop, clock } = await setup(PERCENT);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    const purchase = { eventId: 'pi_1', refereeId: 'bob', amount: 5000, currency: 'USD', occurredAt: clock.now() };
    await onehop.recordPurchase(purchase);
    const pending = await onehop.listEvents({ status: 'pending' });
    expect(pending.map((e) => [e.type, e.subjectId])).toEqual([
      ['referral.created', 'alice'],
      ['commission.accrued', 'alice'],
      ['referral.qualified', 'alice'],
    ]);
    expect(pending[1]!.data).toMatchObject({ amount: 500, refereeId: 'bob', currency: 'USD', after: 'pending' });
    expect(new Set(pending.map((e) => e.id)).size).toBe(3);
    const delivered = await drain(onehop);
    expect(delivered.map((e) => e.id)).toEqual(pending.map((e) => e.id));
    expect(await onehop.listEvents({ status: 'pending' })).toEqual([]);
    expect((await onehop.listEvents({ status: 'delivered' })).every((e) => e.attempts === 1 && e.deliveredAt !== null)).toBe(true);
    // A redelivered purchase changes nothing, so it reports nothing.
    await onehop.recordPurchase(purchase);
    expect(await onehop.listEvents({ status: 'pending' })).toEqual([]);
  });

  it('emits nothing for a change that rolled back', async () => {
    const boom = {
      name: 'boom',
      check: (input: { stage: string }) => {
        if (input.stage === 'accrual') throw new Error('rule crashed');
        return null;
      },
    };
    const { onehop } = await setup({ qualifyOn: 'signup', commission: { rule: { type: 'fixed', amount: 1000 } } }, { fraud: { rules: [boom as never] } });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    // The referral is written, then the accrual's rule throws: the whole attribution rolls back.
    await expect(onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })).rejects.toThrow('rule crashed');
    expect(await onehop.getReferralByReferee('bob')).toBeNull();
    expect(await onehop.listEvents({ status: 'pending' })).toEqual([]);
  });

  it('emits every domain event type over a program’s life', async () => {
    const hold = {
      name: 'hold_frank',
      check: (i: { stage: string; refereeId: string }) =>
        i.stage === 'attribution' && i.refereeId === 'frank' ? { action: 'review' as const, reason: 'TEST_HOLD', details: {} } : null,
    };
    const { onehop, clock } = await setup(
      {
        commission: {
          holdingDays: 0,
          rule: {
            type: 'tiered',
            basis: 'qualified_referrals',
            period: 'all_time',
            scope: { type: 'lifetime' },
            tiers: [
              { from: 0, rateBps: 1000 },
              { from: 2, rateBps: 2000 },
            ],
          },
          milestones: [{ qualifiedReferrals: 2, amount: 500 }],
        } as never,
        fraud: { highValueCommission: { threshold: 5000 } },
      },
      {
        fraud: { rules: [hold as never] },
        payoutProviders: [scriptedProvider('paypal', () => ({ status: 'failed', reason: 'receiver_unconfirmed', retryable: false }))],
      },
    );
    const at = () => clock.now();
    await onehop.enroll({ userId: 'alice', code: 'ALICE123', email: 'alice@example.com' });
    const bobInvite = await onehop.invite({ inviterId: 'alice', email: 'bob@example.com', baseUrl: BASE });
    await onehop.acceptInvitation({ token: bobInvite.invitation.token, refereeId: 'bob' });
    const carol = await onehop.invite({ inviterId: 'alice', email: 'carol@example.com', baseUrl: BASE });
    await onehop.cancelInvitation({ invitationId: carol.invitation.id, inviterId: 'alice' });
    await onehop.invite({ inviterId: 'alice', email: 'dave@example.com', baseUrl: BASE });
    clock.advance(15 * DAY);
    expect(await onehop.expireInvitations()).toEqual({ expired: 1 });
    await onehop.attribute({ refereeId: 'erin', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'frank', code: 'ALICE123' });
    await onehop.recordPurchase({ eventId: 'pi_b1', refereeId: 'bob', amount: 1000, currency: 'USD', occurredAt: at() });
    await onehop.recordPurchase({ eventId: 'pi_e1', refereeId: 'erin', amount: 1000, currency: 'USD', occurredAt: at() });
    await onehop.recordPurchase({ eventId: 'pi_b2', refereeId: 'bob', amount: 100_000, currency: 'USD', occurredAt: at() });
    for (const review of await onehop.listReviews()) {
      if (review.entityType === 'commission') await onehop.decideReview({ reviewId: review.id, decision: 'approve', adminId: 'admin', reason: 'known customer' });
    }
    await onehop.recordRefund({ eventId: 're_b1', purchaseEventId: 'pi_b1', amount: 500 });
    await onehop.approveDue();
    const bonus = (await onehop.listCommissions('alice')).find((c) => c.kind === 'milestone_bonus')!;
    await onehop.rejectCommission({ commissionId: bonus.id, adminId: 'admin', reason: 'duplicate account' });
    await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'alice@example.com' } });
    const first = await onehop.requestPayout({ userId: 'alice' });
    await onehop.rejectPayout({ payoutId: first.id, adminId: 'admin', reason: 'name mismatch' });
    const second = await onehop.requestPayout({ userId: 'alice' });
    await onehop.approvePayout({ payoutId: second.id, adminId: 'admin' });
    await onehop.markPayoutPaid({ payoutId: second.id, adminId: 'admin', externalReference: 'PAYPAL-1' });
    await onehop.adjustBalance({ userId: 'alice', amount: 700, adminId: 'admin', reason: 'goodwill' });
    await onehop.approvePayout({ payoutId: (await onehop.requestPayout({ userId: 'alice' })).id, adminId: 'admin' });
    expect(await onehop.sendPayouts()).toMatchObject({ failed: 1 });
    const erin = (await onehop.getReferralByReferee('erin'))!;
    await onehop.rejectReferral({ referralId: erin.id, adminId: 'admin', reason: 'fraud ring' });

    const types = new Set((await drain(onehop)).map((e) => e.type));
    expect([...DOMAIN_EVENT_TYPES].filter((t) => !types.has(t))).toEqual([]);
  });

  it('retries a failing handler with backoff, keeps the order per participant, and makes a dead letter after the last attempt', async () => {
    const { onehop, clock } = await setup(PERCENT);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.enroll({ userId: 'zoe', code: 'ZOE12345' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'carl', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'yan', code: 'ZOE12345' });
    const calls: { referee: unknown; attempt: number; id: string }[] = [];
    let failBob = 2;
    const dispatcher = onehop.createDispatcher({
      maxAttempts: 3,
      backoff: (attempt) => attempt * 60_000,
      handlers: {
        'referral.created': (event, { attempt }) => {
          calls.push({ referee: event.data.refereeId, attempt, id: event.id });
          if (event.data.refereeId === 'bob' && failBob-- > 0) throw new Error('mail server down');
        },
      },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 3, delivered: 1, failed: 1, released: 1 });
    // Carl waits behind Bob (same referrer); Zoe's event went out.
    expect(calls.map((c) => c.referee)).toEqual(expect.arrayContaining(['bob', 'yan']));
    expect(calls.map((c) => c.referee)).not.toContain('carl');
    const bobEvent = (await onehop.listEvents({ status: 'pending' }))[0]!;
    expect(bobEvent).toMatchObject({ attempts: 1, lastError: 'Error: mail server down', leaseToken: null });
    expect(bobEvent.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    // Bob's event failed before: it is retried alone, and Carl's stays unleased behind it.
    clock.advance(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, failed: 1, released: 0 });
    clock.advance(120_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const forAlice = calls.filter((c) => c.referee !== 'yan');
    expect(forAlice.map((c) => `${String(c.referee)}#${c.attempt}`)).toEqual(['bob#1', 'bob#2', 'bob#3', 'carl#1']);
    expect(new Set(forAlice.filter((c) => c.referee === 'bob').map((c) => c.id)).size).toBe(1);

    // A handler that always fails: dead after maxAttempts, listed, and sent again on an admin's retry.
    await onehop.attribute({ refereeId: 'dan', code: 'ALICE123' });
    const dead = onehop.createDispatcher({ maxAttempts: 2, backoff: () => 0, handlers: { '*': () => Promise.reject(new Error('webhook 500')) } });
    expect(await dead.runOnce()).toMatchObject({ failed: 1 });
    expect(await dead.runOnce()).toMatchObject({ dead: 1 });
    const [letter] = await onehop.listEvents();
    expect(letter).toMatchObject({ status: 'dead', attempts: 2, lastError: 'Error: webhook 500', type: 'referral.created' });
    expect((await onehop.auditTrail('event', letter!.id)).map((a) => a.action)).toEqual(['event.dead']);
    await expect(onehop.retryDeadLetter({ eventId: 'evt_nope', adminId: 'admin' })).rejects.toMatchObject({ code: 'EVENT_NOT_FOUND' });
    expect(await onehop.retryDeadLetter({ eventId: letter!.id, adminId: 'admin' })).toMatchObject({ status: 'pending', attempts: 0 });
    await expect(onehop.retryDeadLetter({ eventId: letter!.id, adminId: 'admin' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await drain(onehop)).map((e) => e.id)).toEqual([letter!.id]);
    expect(await onehop.listEvents()).toEqual([]);
  });

  it('leases only the head of a participant whose head failed before: the later events stay unleased while it is retried, then follow in order', async () => {
    const { onehop, clock, store } = await setup(PERCENT);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    for (let i = 0; i < 5; i++) await onehop.attribute({ refereeId: `bob-${i}`, code: 'ALICE123' });
    const written = (await onehop.listEvents({ status: 'pending' })).map((e) => e.id);
    const head = written[0]!;
    // The dispatcher's own engine counts the transactions it runs (claims, acknowledgements, releases).
    let transactions = 0;
    const counted = createOnehop({
      store: { capabilities: store.capabilities, transaction: (fn) => (transactions++, store.transaction(fn)) },
      clock,
      program: { id: onehop.program.id, currency: 'USD', mode: onehop.mode },
    });
    let down = true;
    const seen: string[] = [];
    let othersLeased: (string | null)[] = [];
    const dispatcher = counted.createDispatcher({
      maxAttempts: 10,
      backoff: () => 60_000,
      handlers: {
        '*': async (event) => {
          seen.push(event.id);
          if (event.id !== head || !down) return;
          othersLeased = (await onehop.listEvents({ status: 'pending' })).filter((e) => e.id !== head).map((e) => e.leaseToken);
          throw new Error('mail server down');
        },
      },
    });
    // Nothing has failed yet: the claim takes the run; the failure hands the rest back, in one write.
    expect(await dispatcher.runOnce()).toEqual({ claimed: 5, delivered: 0, failed: 1, dead: 0, released: 4 });
    expect(transactions).toBe(3);
    expect((await onehop.listEvents({ status: 'pending' })).map((e) => e.leaseToken)).toEqual([null, null, null, null, null]);
    // While it backs off, nothing of alice's is claimed; when it is due again, it comes alone.
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    for (let attempt = 2; attempt <= 4; attempt++) {
      clock.advance(60_000);
      transactions = 0;
      expect(await dispatcher.runOnce()).toEqual({ claimed: 1, delivered: 0, failed: 1, dead: 0, released: 0 });
      expect(transactions).toBe(2);
      expect(othersLeased).toEqual([null, null, null, null]);
    }
    down = false;
    clock.advance(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 4, delivered: 4 });
    expect(seen.filter((id) => id !== head)).toEqual(written.slice(1));
  });

  it('stops a participant’s claimed run before an event that is not deliverable yet (backing off, or leased by another dispatcher)', async () => {
    const { onehop, clock, store, scope } = await setup(PERCENT);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    for (let i = 0; i < 5; i++) await onehop.attribute({ refereeId: `bob-${i}`, code: 'ALICE123' });
    const written = (await onehop.listEvents({ status: 'pending' })).map((e) => e.id);
    const later = new Date(clock.now().getTime() + 60_000);
    // The third waits for a retry; the fifth is held by someone else.
    await store.transaction(async (tx) => {
      await tx.outbox.update(scope, written[2]!, { nextAttemptAt: later });
      await tx.outbox.update(scope, written[4]!, { leaseToken: 'lease_other', leaseUntil: later });
    });
    const seen: string[] = [];
    const dispatcher = onehop.createDispatcher({ handlers: { '*': (e) => void seen.push(e.id) } });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 3, delivered: 3 });
    expect(seen).toEqual(written);
  });

  it('loses nothing when a dispatcher dies between commit and delivery: another takes over when its lease runs out', async () => {
    const { onehop, clock } = await setup(PERCENT);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    let hang!: () => void;
    let holding!: () => void;
    // Resolves once the first dispatcher's claim is committed and its handler runs: waiting
    // for that, not for a fixed time, keeps the test exact on a slow or loaded machine.
    const claimed = new Promise<void>((resolve) => (holding = resolve));
    const stuck = onehop.createDispatcher({
      leaseMs: 60_000,
      handlers: {
        '*': () =>
          new Promise<void>((resolve) => {
            hang = resolve;
            holding();
          }),
      },
    });
    const dying = stuck.runOnce();
    await claimed;
    // The first dispatcher holds the event: nobody else may take it yet.
    const seen: string[] = [];
    const rescuer = onehop.createDispatcher({ handlers: { '*': (e) => void seen.push(e.id) } });
    expect(await rescuer.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(60_000);
    expect(await rescuer.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    // The dead one comes back: its acknowledgement finds the lease gone and records nothing.
    hang();
    expect(await dying).toMatchObject({ delivered: 0, released: 1 });
    expect(await onehop.listEvents({ status: 'delivered' })).toHaveLength(1);
    expect(seen).toHaveLength(1);
  });

  it('never hands one event to two dispatchers at once, and delivers each once when nothing fails', async () => {
    const { onehop } = await setup(PERCENT);
    for (let r = 0; r < 6; r++) {
      await onehop.enroll({ userId: `r${r}`, code: `REFR000${r}` });
      for (let i = 0; i < 4; i++) await onehop.attribute({ refereeId: `u${r}-${i}`, code: `REFR000${r}` });
    }
    const inFlight = new Set<string>();
    const delivered: string[] = [];
    const overlaps: string[] = [];
    const handler = async (e: OnehopEvent) => {
      if (inFlight.has(e.id)) overlaps.push(e.id);
      inFlight.add(e.id);
      await new Promise((r) => setTimeout(r, 1));
      inFlight.delete(e.id);
      delivered.push(e.id);
    };
    const workers = [0, 1, 2].map(() => onehop.createDispatcher({ batchSize: 2, perSubject: 2, handlers: { '*': handler } }));
    for (let round = 0; round < 40 && (await onehop.listEvents({ status: 'pending' })).length > 0; round++) await Promise.all(workers.map((w) => w.runOnce()));
    expect(overlaps).toEqual([]);
    expect(delivered.sort()).toEqual((await onehop.listEvents({ status: 'delivered', limit: 1000 })).map((e) => e.id).sort());
    expect(delivered).toHaveLength(24);
  });

  it('runs in the background with start() and stops cleanly; purges delivered events on request', async () => {
    const { onehop, clock } = await setup(PERCENT);
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    const seen: string[] = [];
    const dispatcher = onehop.createDispatcher({ handlers: { 'referral.created': (e) => void seen.push(e.type) } });
    dispatcher.start({ intervalMs: 5 });
    // Polls until the background loop has delivered (bounded only by the test's own timeout, so a
    // slow or loaded machine waits longer instead of failing).
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    await dispatcher.stop();
    expect(seen).toEqual(['referral.created']);
    clock.advance(DAY);
    await onehop.attribute({ refereeId: 'carl', code: 'ALICE123' });
    expect(await onehop.purgeDeliveredEvents({ deliveredBefore: clock.now() })).toEqual({ deleted: 1 });
    expect(await onehop.listEvents({ status: 'delivered' })).toEqual([]);
    expect(await onehop.listEvents({ status: 'pending' })).toHaveLength(1);
  });

  it('records nothing when the program turns the outbox off, and validates dispatcher options', async () => {
    const { onehop } = await setup({ ...PERCENT, outbox: { enabled: false } });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    expect(await onehop.listEvents({ status: 'pending' })).toEqual([]);
    expect(() => onehop.createDispatcher({ handlers: { 'no.such': () => undefined } as never })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => onehop.createDispatcher({ handlers: {}, leaseMs: 10 })).toThrow(expect.objectContaining({ field: 'leaseMs' }));
  });
}
