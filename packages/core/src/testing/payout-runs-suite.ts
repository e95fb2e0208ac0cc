// Over 300 lines: the payout run, sending and tax scenarios share one scripted provider and the ledger-equals-balances check.
import { createOnehop, type Onehop, type PayoutMethod, type PayoutProvider, type ProgramConfigInput } from '@onehop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectBalanced } from './money-suite';
import type { SetupWith } from './outbox-suite';
import { type ScriptedAnswer, type ScriptedProvider, scriptedProvider } from './payout-providers';

const HOUR = 3_600_000;
const PAYPAL = (userId: string): PayoutMethod => ({ type: 'paypal', email: `${userId}@example.com` });
const paid = (reference: string): ScriptedAnswer => ({ status: 'paid', externalReference: reference });

/**
 * Payout runs, sending through providers, failures, retries, settling and
 * tax profiles. Every test ends with the ledger equal to the balances; the
 * providers here are `scriptedProvider`s, which pay once per idempotency key
 * like a real provider, so `transfers` shows whether anything was paid twice.
 */
export function payoutRunsSuite(setup: SetupWith, options: { propertyRuns: number }): void {
  /** A program whose payees get their money through admin adjustments (withdrawable at once). */
  async function program(extra: { program?: Partial<ProgramConfigInput>; providers?: PayoutProvider[] } = {}) {
    const ctx = await setup(extra.program ?? {}, { payoutProviders: extra.providers ?? [] });
    const fund = async (userId: string, amount: number, method: PayoutMethod | null = PAYPAL(userId)) => {
      if (!(await ctx.onehop.getParticipant(userId))) await ctx.onehop.enroll({ userId });
      await ctx.onehop.adjustBalance({ userId, amount, adminId: 'admin', reason: 'earned' });
      if (method) await ctx.onehop.setPayoutMethod({ userId, method });
    };
    const run = (runId: string, more: Partial<Parameters<Onehop['createPayoutRun']>[0]> = {}) =>
      ctx.onehop.createPayoutRun({ runId, before: new Date(ctx.clock.now().getTime() + HOUR), adminId: 'admin', ...more });
    return { ...ctx, fund, run };
  }

  const transfersOf = (provider: ScriptedProvider) => {
    const byPayout = new Map<string, number>();
    for (const t of provider.transfers) byPayout.set(t.payoutId, (byPayout.get(t.payoutId) ?? 0) + 1);
    return byPayout;
  };

  describe('payout runs', () => {
    it('collects every withdrawable balance at or above the minimum into one approved payout per payee, each skipped payee with its reason', async () => {
      const { onehop, fund, run } = await program({ program: { payouts: { minimumAmount: 1000 } } });
      await fund('alice', 5000);
      await fund('bob', 2500);
      await fund('carol', 999);
      await fund('dave', 3000, null);
      await fund('erin', 4000);
      await onehop.suspendParticipant({ userId: 'erin', adminId: 'admin', reason: 'chargebacks' });
      await fund('fay', 1500);
      await onehop.requestPayout({ userId: 'fay', amount: 1000 });
      await fund('fay', 1000);

      const result = await run('2026-03');
      expect(result).toMatchObject({ id: '2026-03', status: 'completed', minimum: 1000, currency: 'USD', createdBy: 'admin' });
      expect(result.result!.payouts.map((p) => [p.userId, p.amount])).toEqual([
        ['alice', 5000],
        ['bob', 2500],
      ]);
      expect(result.result!.total).toBe(7500);
      expect(result.result!.skipped).toEqual([
        { userId: 'dave', amount: 3000, reason: 'no_payout_method' },
        { userId: 'erin', amount: 4000, reason: 'participant_suspended' },
        { userId: 'fay', amount: 1500, reason: 'payout_open' },
      ]);
      for (const p of result.result!.payouts) {
        expect(await onehop.getPayout(p.payoutId)).toMatchObject({ status: 'approved', runId: '2026-03', attempts: 0, decidedBy: 'admin', method: { type: 'paypal' } });
      }
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 5000 });
      expect(await onehop.getBalances('carol')).toMatchObject({ withdrawable: 999, requested: 0 });
      expect(await onehop.getBalances('dave')).toMatchObject({ withdrawable: 3000, requested: 0 });
      expect((await onehop.auditTrail('payout_run', '2026-03')).map((a) => [a.action, a.actor.id])).toEqual([
        ['payout_run.started', 'admin'],
        ['payout_run.completed', 'admin'],
      ]);
      await expectBalanced(onehop, ['alice', 'bob', 'carol', 'dave', 'erin', 'fay']);
    });

    it('pays only money that was withdrawable before the cut-off, and leaves out a payee with an open review', async () => {
      const ctx = await setup(
        { commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } }, holdingDays: 0 }, fraud: { highValueCommission: { threshold: 5000 } } },
        { payoutProviders: [] },
      );
      const { onehop, clock } = ctx;
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      await onehop.setPayoutMethod({ userId: 'alice', method: PAYPAL('alice') });
      await onehop.adjustBalance({ userId: 'alice', amount: 3000, adminId: 'admin', reason: 'earned' });
      const cutOff = new Date(clock.now().getTime() + HOUR);
      clock.advance(2 * HOUR);
      await onehop.adjustBalance({ userId: 'alice', amount: 700, adminId: 'admin', reason: 'earned later' });
      const first = await onehop.createPayoutRun({ runId: 'r1', before: cutOff, adminId: 'admin' });
      expect(first.result!.payouts.map((p) => p.amount)).toEqual([3000]);
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 700, requested: 3000 });

      await onehop.enroll({ userId: 'gus', code: 'GUS12345' });
      await onehop.setPayoutMethod({ userId: 'gus', method: PAYPAL('gus') });
      await onehop.adjustBalance({ userId: 'gus', amount: 4000, adminId: 'admin', reason: 'earned' });
      const referred = await onehop.attribute({ refereeId: 'hank', code: 'GUS12345' });
      if (!referred.ok) throw new Error(referred.reason);
      await onehop.recordPurchase({ eventId: 'pi_big', refereeId: 'hank', amount: 100_000, currency: 'USD', occurredAt: clock.now() });
      expect(await onehop.listReviews()).toHaveLength(1);
      const second = await onehop.createPayoutRun({ runId: 'r2', before: new Date(clock.now().getTime() + HOUR), adminId: 'admin' });
      expect(second.result!.skipped).toEqual([
        { userId: 'alice', amount: 700, reason: 'payout_open' },
        { userId: 'gus', amount: 4000, reason: 'under_review' },
      ]);
      expect(await onehop.getBalances('gus')).toMatchObject({ withdrawable: 4000 });
      await expectBalanced(onehop, ['alice', 'gus']);
    });

    it('is idempotent by run id: the same id returns the finished run and pays nothing new; other parameters are a conflict', async () => {
      const { onehop, fund, run } = await program();
      await fund('alice', 5000);
      const first = await run('weekly-1');
      await fund('alice', 800);
      await fund('bob', 900);
      const again = await run('weekly-1', { before: first.before });
      expect(again).toEqual(first);
      expect(await onehop.getBalances('bob')).toMatchObject({ withdrawable: 900, requested: 0 });
      expect(await onehop.getPayoutRun('weekly-1')).toEqual(first);
      await expect(run('weekly-1', { before: first.before, minimum: 10 })).rejects.toMatchObject({ code: 'PAYOUT_RUN_CONFLICT', field: 'runId' });
      await expect(run('weekly-2', { currency: 'EUR' })).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH' });
      expect(await onehop.getPayoutRun('weekly-2')).toBeNull();
      await expect(onehop.createPayoutRun({ runId: 'bad id!', before: new Date(), adminId: 'admin' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'runId',
      });
      const generated = await onehop.createPayoutRun({ before: new Date(onehop.clock.now().getTime() + HOUR), adminId: 'admin' });
      expect(generated.id).toMatch(/^run_/);
      expect(generated.result!.payouts.map((p) => [p.userId, p.amount])).toEqual([['bob', 900]]);
      await expectBalanced(onehop, ['alice', 'bob']);
    });

    it('a run a worker left unfinished is finished by the next call with its id, counting the payouts it made, failed ones too', async () => {
      const provider = scriptedProvider('paypal', (r) => (r.payout.userId === 'alice' ? { status: 'failed', reason: 'refused', retryable: true } : paid('ok')));
      const { onehop, store, fund, run, clock } = await program({ providers: [provider] });
      for (const userId of ['alice', 'bob', 'carol']) await fund(userId, 2000);
      // A worker that dies at its 6th transaction: the run's start, one page of payees, three payees, then (dead) the completion.
      let transactions = 0;
      const dying = createOnehop({
        store: { capabilities: store.capabilities, transaction: (fn) => (++transactions === 6 ? Promise.reject(new Error('worker died')) : store.transaction(fn)) },
        clock,
        program: { id: onehop.program.id, currency: 'USD', mode: onehop.mode },
      });
      const before = new Date(clock.now().getTime() + HOUR);
      await expect(dying.createPayoutRun({ runId: 'r1', before, adminId: 'admin' })).rejects.toThrow('worker died');
      expect(await onehop.getPayoutRun('r1')).toMatchObject({ status: 'running', result: null });
      expect(await onehop.sendPayouts()).toMatchObject({ paid: 2, failed: 1 });
      const finished = await run('r1', { before });
      expect(finished.status).toBe('completed');
      expect(finished.result!.payouts.map((p) => p.userId)).toEqual(['alice', 'bob', 'carol']);
      expect(finished.result!.skipped).toEqual([]);
      for (const userId of ['alice', 'bob', 'carol']) expect(await onehop.listPayouts(userId), userId).toHaveLength(1);
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 2000, requested: 0 });
      await expectBalanced(onehop, ['alice', 'bob', 'carol']);
    });

    it('two workers starting one run at once, and two runs at once, pay each payee once', async () => {
      const { onehop, fund, run, clock } = await program();
      const payees = Array.from({ length: 12 }, (_, i) => `payee-${String(i).padStart(2, '0')}`);
      for (const userId of payees) await fund(userId, 1000 + payees.indexOf(userId));
      const before = new Date(clock.now().getTime() + HOUR);
      const [a, b] = await Promise.all([run('same', { before }), run('same', { before })]);
      expect(a.result).toEqual(b.result);
      expect(a.result!.payouts.map((p) => p.userId).sort()).toEqual(payees);
      for (const userId of payees) {
        expect((await onehop.listPayouts(userId)).length, userId).toBe(1);
        expect(await onehop.getBalances(userId)).toMatchObject({ withdrawable: 0, requested: 1000 + payees.indexOf(userId) });
      }
      for (const userId of payees) await fund(userId, 500);
      const [c, d] = await Promise.all([
        run('other-1', { before: new Date(clock.now().getTime() + HOUR) }),
        run('other-2', { before: new Date(clock.now().getTime() + HOUR) }),
      ]);
      // Each payee has one open payout already: the second runs leave them out, and nobody is paid twice.
      expect([...c.result!.payouts, ...d.result!.payouts]).toEqual([]);
      expect(c.result!.skipped.map((s) => s.reason)).toEqual(payees.map(() => 'payout_open'));
      await expectBalanced(onehop, payees);
    });
  });

  describe('sending payouts', () => {
    it('sends approved payouts through the provider of their method with a key per attempt; paid moves the money and the commissions', async () => {
      const provider = scriptedProvider('paypal', (r) => paid(`PP-${r.payout.id}`));
      const ctx = await setup({ commission: { rule: { type: 'fixed', amount: 2000 }, holdingDays: 0 } }, { payoutProviders: [provider] });
      const { onehop, clock } = ctx;
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      const referred = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
      if (!referred.ok) throw new Error(referred.reason);
      await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'bob', amount: 4900, currency: 'USD', occurredAt: clock.now() });
      await onehop.approveDue();
      await onehop.setPayoutMethod({ userId: 'alice', method: PAYPAL('alice') });
      // A participant's own request ends in the same states.
      const requested = await onehop.requestPayout({ userId: 'alice' });
      expect(await onehop.sendPayouts()).toMatchObject({ payouts: [] });
      await onehop.approvePayout({ payoutId: requested.id, adminId: 'admin' });
      const sent = await onehop.sendPayouts({ limit: 10 });
      expect(sent).toEqual({
        payouts: [{ payoutId: requested.id, attempt: 1, idempotencyKey: `${requested.id}:1`, status: 'paid' }],
        paid: 1,
        processing: 0,
        failed: 0,
        unknown: 0,
      });
      expect(provider.requests.map((r) => [r.idempotencyKey, r.attempt, r.method, r.payout.status])).toEqual([[`${requested.id}:1`, 1, PAYPAL('alice'), 'processing']]);
      expect(await onehop.getPayout(requested.id)).toMatchObject({ status: 'paid', externalReference: `PP-${requested.id}`, attempts: 1, leaseUntil: null });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 0, paid: 2000 });
      expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'paid', payoutId: requested.id });
      expect((await onehop.auditTrail('payout', requested.id)).map((a) => [a.action, a.actor.type])).toEqual([
        ['payout.requested', 'user'],
        ['payout.approved', 'admin'],
        ['payout.processing', 'system'],
        ['payout.paid', 'system'],
      ]);
      expect(await onehop.sendPayouts()).toMatchObject({ payouts: [] });
      expect(provider.transfers).toHaveLength(1);
      await expectBalanced(onehop, ['alice']);
    });

    it('a refused payout fails with the provider reason, its money withdrawable again through the ledger; a retry sends it with a new key, once', async () => {
      const provider = scriptedProvider('stripe_connect', (_, call) => (call === 1 ? { status: 'failed', reason: 'account_restricted', retryable: true } : paid('tr_2')));
      const { onehop, fund, run } = await program({ providers: [provider] });
      await fund('alice', 5000, { type: 'stripe_connect', accountId: 'acct_1Alice' });
      const [payout] = (await run('r1')).result!.payouts;
      expect(await onehop.sendPayouts()).toMatchObject({ failed: 1, payouts: [{ status: 'failed', reason: 'account_restricted' }] });
      expect(await onehop.getPayout(payout!.payoutId)).toMatchObject({ status: 'failed', statusReason: 'account_restricted', attempts: 1 });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 5000, requested: 0, paid: 0 });
      expect((await onehop.listLedger('alice')).slice(-2).map((e) => [e.kind, e.bucket, e.amount])).toEqual([
        ['payout_failure', 'requested', -5000],
        ['payout_failure', 'withdrawable', 5000],
      ]);
      const failedLine = (await onehop.auditTrail('payout', payout!.payoutId)).at(-1)!;
      // The provider's text stays on the payout row, out of the append-only trail.
      expect(failedLine).toMatchObject({ action: 'payout.failed', reason: null, data: { attempt: 1, retryable: true } });
      expect(await onehop.sendPayouts()).toMatchObject({ payouts: [] });
      await expect(onehop.settlePayout({ payoutId: payout!.payoutId, outcome: 'paid', externalReference: 'x' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });

      await expect(onehop.retryPayout({ payoutId: 'pay_nope', adminId: 'admin' })).rejects.toMatchObject({ code: 'PAYOUT_NOT_FOUND' });
      const retried = await onehop.retryPayout({ payoutId: payout!.payoutId, adminId: 'admin', reason: 'account fixed' });
      expect(retried).toMatchObject({ status: 'approved', statusReason: 'account fixed' });
      await expect(onehop.retryPayout({ payoutId: payout!.payoutId, adminId: 'admin' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 5000 });
      expect(await onehop.sendPayouts()).toMatchObject({ paid: 1, payouts: [{ attempt: 2, idempotencyKey: `${payout!.payoutId}:2` }] });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 0, paid: 5000 });
      expect(provider.transfers.map((t) => t.idempotencyKey)).toEqual([`${payout!.payoutId}:2`]);
      await expectBalanced(onehop, ['alice']);
    });

    it('a retry needs the money to be withdrawable still, and no other open payout', async () => {
      const provider = scriptedProvider('paypal', () => ({ status: 'failed', reason: 'receiver_unconfirmed', retryable: false }));
      const { onehop, fund, run } = await program({ providers: [provider] });
      await fund('alice', 5000);
      const [payout] = (await run('r1')).result!.payouts;
      await onehop.sendPayouts();
      await onehop.requestPayout({ userId: 'alice', amount: 1000 });
      await expect(onehop.retryPayout({ payoutId: payout!.payoutId, adminId: 'admin' })).rejects.toMatchObject({ code: 'PAYOUT_ALREADY_OPEN' });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 4000, requested: 1000 });
      await expectBalanced(onehop, ['alice']);
    });

    it('a crash between sending and recording pays once: the payout stays processing and the next attempt sends the same key', async () => {
      const provider = scriptedProvider('paypal', () => 'accept-then-throw');
      const { onehop, fund, run } = await program({ providers: [provider] });
      await fund('alice', 5000);
      const [payout] = (await run('r1')).result!.payouts;
      const first = await onehop.sendPayouts();
      expect(first).toMatchObject({ unknown: 1, payouts: [{ status: 'unknown', reason: 'connection reset after the provider accepted' }] });
      expect(await onehop.getPayout(payout!.payoutId)).toMatchObject({
        status: 'processing',
        attempts: 1,
        idempotencyKey: `${payout!.payoutId}:1`,
        externalReference: null,
      });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 5000, paid: 0 });
      const second = await onehop.sendPayouts();
      expect(second).toMatchObject({ paid: 1, payouts: [{ attempt: 1, idempotencyKey: `${payout!.payoutId}:1`, status: 'paid' }] });
      expect(provider.requests.map((r) => r.idempotencyKey)).toEqual([`${payout!.payoutId}:1`, `${payout!.payoutId}:1`]);
      expect(provider.transfers).toHaveLength(1);
      expect(await onehop.getPayout(payout!.payoutId)).toMatchObject({ status: 'paid', externalReference: `tr_${payout!.payoutId}:1` });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 0, requested: 0, paid: 5000 });
      await expectBalanced(onehop, ['alice']);
    });

    it('a payout a worker is sending is not sent by another until its lease ends (a worker that died mid-send)', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let calls = 0;
      let sending: () => void = () => undefined;
      // Resolves when the first worker is at the provider (its lease taken and committed):
      // waiting for that, not for a fixed time, keeps the test exact on a loaded machine.
      const atProvider = new Promise<void>((resolve) => {
        sending = resolve;
      });
      const slow: PayoutProvider = {
        name: 'slow',
        methodType: 'paypal',
        send: async (r) => {
          calls += 1;
          sending();
          if (calls === 1) await gate;
          return { status: 'paid', externalReference: `slow-${r.idempotencyKey}` };
        },
      };
      const { onehop, fund, run, clock } = await program({ providers: [slow], program: { payouts: { sendLeaseSeconds: 60 } } });
      await fund('alice', 5000);
      await run('r1');
      const busy = onehop.sendPayouts();
      await atProvider;
      // While the first worker waits for the provider, another finds nothing to send.
      expect(await onehop.sendPayouts()).toMatchObject({ payouts: [] });
      // A worker after the lease (as if the first had died) sends the same attempt again.
      clock.advance(61_000);
      const takeover = await onehop.sendPayouts();
      expect(takeover).toMatchObject({ paid: 1, payouts: [{ attempt: 1 }] });
      release();
      // The first worker's late answer finds the payout paid already and changes nothing.
      expect(await busy).toMatchObject({ payouts: [{ status: 'paid' }] });
      expect(await onehop.getBalances('alice')).toMatchObject({ requested: 0, paid: 5000 });
      await expectBalanced(onehop, ['alice']);
    });

    it('processing payouts are settled later by a webhook or an admin; a redelivered webhook changes nothing', async () => {
      const bank = scriptedProvider('bank_transfer', (r) => ({ status: 'processing', externalReference: `E2E-${r.payout.id}` }), { batch: true });
      const { onehop, fund, run } = await program({ providers: [bank] });
      const iban = 'DE89370400440532013000';
      for (const userId of ['alice', 'bob', 'carol']) await fund(userId, 2000, { type: 'bank_transfer', accountHolder: userId, iban });
      const ids = (await run('r1')).result!.payouts.map((p) => p.payoutId);
      expect(await onehop.sendPayouts()).toMatchObject({ processing: 3 });
      // One batch (one bank file) for the run, with every payout of it.
      expect(bank.batches).toHaveLength(1);
      expect(bank.batches[0]!.keys).toEqual(ids.map((id) => `${id}:1`));
      const processing = await onehop.payoutsByStatus({ status: 'processing' });
      expect(processing.map((p) => [p.id, p.batchId, p.externalReference])).toEqual(ids.map((id) => [id, bank.batches[0]!.batchId, `E2E-${id}`]));
      expect(await onehop.sendPayouts()).toMatchObject({ payouts: [] });

      const settled = await onehop.settlePayout({ payoutId: ids[0]!, outcome: 'paid' });
      expect(settled).toMatchObject({ status: 'paid', externalReference: `E2E-${ids[0]}` });
      expect(await onehop.settlePayout({ payoutId: ids[0]!, outcome: 'paid' })).toEqual(settled);
      await onehop.settlePayout({ payoutId: ids[1]!, outcome: 'paid', externalReference: 'BANK-STATEMENT-7', adminId: 'admin' });
      await expect(onehop.settlePayout({ payoutId: ids[2]!, outcome: 'failed' } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
      await onehop.settlePayout({ payoutId: ids[2]!, outcome: 'failed', reason: 'AC04 account closed' });
      await expect(onehop.settlePayout({ payoutId: ids[2]!, outcome: 'paid', externalReference: 'x' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      expect((await onehop.auditTrail('payout', ids[1]!)).at(-1)).toMatchObject({ action: 'payout.paid', actor: { type: 'admin', id: 'admin' } });
      expect((await onehop.auditTrail('payout', ids[0]!)).at(-1)).toMatchObject({ action: 'payout.paid', actor: { type: 'system', id: null } });
      expect(await onehop.getBalances('alice')).toMatchObject({ requested: 0, paid: 2000 });
      expect(await onehop.getBalances('bob')).toMatchObject({ requested: 0, paid: 2000 });
      expect(await onehop.getBalances('carol')).toMatchObject({ withdrawable: 2000, requested: 0, paid: 0 });
      expect(await onehop.getPayout(ids[2]!)).toMatchObject({ status: 'failed', statusReason: 'AC04 account closed' });
      await expectBalanced(onehop, ['alice', 'bob', 'carol']);
    });

    it('leaves payouts of a method without a provider approved, for an admin to pay by hand', async () => {
      const { onehop, fund, run } = await program({ providers: [scriptedProvider('paypal', () => paid('x'))] });
      await fund('alice', 3000, { type: 'wise', email: 'alice@example.com' });
      const [payout] = (await run('r1')).result!.payouts;
      expect(await onehop.sendPayouts()).toMatchObject({ payouts: [] });
      expect(await onehop.getPayout(payout!.payoutId)).toMatchObject({ status: 'approved' });
      await onehop.markPayoutPaid({ payoutId: payout!.payoutId, adminId: 'admin', externalReference: 'WISE-1' });
      expect(await onehop.getBalances('alice')).toMatchObject({ paid: 3000 });
      await expectBalanced(onehop, ['alice']);
    });

    it('checks the providers and the Stripe Connect method', async () => {
      const { onehop, store } = await program();
      const make = (payoutProviders: PayoutProvider[]) => () =>
        createOnehop({ store, program: { id: onehop.program.id, currency: 'USD', mode: 'mock' }, payoutProviders });
      const paypal = scriptedProvider('paypal', () => paid('x'));
      expect(make([paypal, scriptedProvider('paypal', () => paid('y'))])).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'payoutProviders.1.methodType' }),
      );
      expect(make([{ ...paypal, methodType: 'cheque' as never }])).toThrow(expect.objectContaining({ field: 'payoutProviders.0.methodType' }));
      await onehop.enroll({ userId: 'alice' });
      await expect(onehop.setPayoutMethod({ userId: 'alice', method: { type: 'stripe_connect', accountId: 'alice@example.com' } })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'method.accountId',
      });
      expect(await onehop.setPayoutMethod({ userId: 'alice', method: { type: 'stripe_connect', accountId: 'acct_1Nv0FGQ9RKHgCVdK' } })).toMatchObject({
        method: { type: 'stripe_connect', accountId: 'acct_1Nv0FGQ9RKHgCVdK' },
      });
    });

    it('never pays a payout twice and keeps the ledger equal to the balances, whatever the provider answers', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom<ScriptedAnswer | 'fail'>('throw', 'accept-then-throw', paid('ok'), { status: 'processing', externalReference: 'later' }, 'fail'), {
            minLength: 1,
            maxLength: 12,
          }),
          async (answers) => {
            let i = 0;
            const provider = scriptedProvider('paypal', (r) => {
              const next = answers[i++ % answers.length]!;
              if (next === 'fail') return { status: 'failed', reason: 'refused', retryable: true };
              if (typeof next === 'string' || next.status === 'failed') return next;
              return { ...next, externalReference: `${next.externalReference}-${r.idempotencyKey}` };
            });
            const { onehop, fund, run } = await program({ providers: [provider] });
            for (const userId of ['alice', 'bob']) await fund(userId, 1500);
            await run('r1');
            for (let round = 0; round < 6; round++) {
              await onehop.sendPayouts();
              for (const userId of ['alice', 'bob']) {
                const [latest] = (await onehop.listPayouts(userId)).slice(-1);
                if (latest?.status === 'failed') await onehop.retryPayout({ payoutId: latest.id, adminId: 'admin' });
              }
            }
            for (const count of transfersOf(provider).values()) expect(count).toBe(1);
            for (const userId of ['alice', 'bob']) {
              const payouts = await onehop.listPayouts(userId);
              const balances = await onehop.getBalances(userId);
              const paidOut = payouts.filter((p) => p.status === 'paid').reduce((sum, p) => sum + p.amount, 0);
              expect(balances.paid).toBe(paidOut);
              expect(balances.withdrawable + balances.requested + balances.paid).toBe(1500);
              // A payout the provider accepted is never failed, and one it paid is never left withdrawable.
              for (const p of payouts) if (provider.transfers.some((t) => t.payoutId === p.id)) expect(['processing', 'paid']).toContain(p.status);
            }
            await expectBalanced(onehop, ['alice', 'bob']);
          },
        ),
        { numRuns: Math.max(5, Math.floor(options.propertyRuns / 5)) },
      );
    });
  });

  describe('tax profiles', () => {
    it('blocks payouts until the tax form is verified: the run skips the payee, a request is refused, the money stays withdrawable', async () => {
      const { onehop, fund, run } = await program({ program: { payouts: { taxForms: { enforcement: 'block' } } } });
      await fund('alice', 5000);
      await fund('bob', 4000);
      await onehop.setTaxProfile({ userId: 'bob', status: 'verified', formType: 'W-9', country: 'us', adminId: 'admin' });
      const first = await run('r1');
      expect(first.result!.payouts.map((p) => p.userId)).toEqual(['bob']);
      expect(first.result!.skipped).toEqual([{ userId: 'alice', amount: 5000, reason: 'tax_profile_blocked' }]);
      await expect(onehop.requestPayout({ userId: 'alice' })).rejects.toMatchObject({ code: 'TAX_PROFILE_REQUIRED', field: 'userId' });
      expect(await onehop.getBalances('alice')).toMatchObject({ withdrawable: 5000, requested: 0 });

      await onehop.setTaxProfile({ userId: 'alice', status: 'submitted', formType: 'W-8BEN', country: 'DE', adminId: 'admin' });
      expect((await run('r2')).result!.skipped).toEqual([{ userId: 'alice', amount: 5000, reason: 'tax_profile_blocked' }]);
      const verified = await onehop.setTaxProfile({ userId: 'alice', status: 'verified', formType: 'W-8BEN', country: 'DE', adminId: 'admin', reason: 'form checked' });
      expect(verified).toMatchObject({ status: 'verified', formType: 'W-8BEN', country: 'DE', updatedBy: 'admin' });
      expect(await onehop.getTaxProfile('alice')).toEqual(verified);
      expect((await run('r3')).result!.payouts.map((p) => p.userId)).toEqual(['alice']);
      expect((await onehop.auditTrail('tax_profile', 'alice')).map((a) => [a.before, a.after, a.reason, a.data])).toEqual([
        ['none', 'submitted', null, { formTypeBefore: null, formType: 'W-8BEN' }],
        ['submitted', 'verified', 'form checked', { formTypeBefore: 'W-8BEN', formType: 'W-8BEN' }],
      ]);
      // No country (or anything personal) in the append-only trail: no field holds it. (The
      // quotes matter: a random audit id may well contain the letters DE.)
      expect(JSON.stringify(await onehop.auditTrail('tax_profile', 'alice'))).not.toContain('"DE"');
      await expect(onehop.setTaxProfile({ userId: 'nobody', status: 'verified', adminId: 'admin' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
      await expect(onehop.setTaxProfile({ userId: 'alice', status: 'approved' as never, adminId: 'admin' })).rejects.toMatchObject({ field: 'status' });
      await expectBalanced(onehop, ['alice', 'bob']);
    });

    it('only warns with `warn`, and with aboveYearlyTotal only blocks once the year’s payouts would pass it', async () => {
      const warned = await program({ program: { payouts: { taxForms: { enforcement: 'warn' } } } });
      await warned.fund('alice', 5000);
      const run = await warned.run('r1');
      expect(run.result).toMatchObject({ payouts: [{ userId: 'alice', amount: 5000 }], warnings: [{ userId: 'alice', reason: 'tax_profile_unverified' }] });

      const provider = scriptedProvider('paypal', (r) => paid(`PP-${r.idempotencyKey}`));
      const capped = await program({ program: { payouts: { taxForms: { enforcement: 'block', aboveYearlyTotal: 60_000 } } }, providers: [provider] });
      await capped.fund('alice', 50_000);
      expect((await capped.run('r1')).result!.payouts).toHaveLength(1);
      await capped.onehop.sendPayouts();
      await capped.fund('alice', 10_000);
      expect((await capped.run('r2')).result!.payouts).toHaveLength(1);
      await capped.onehop.sendPayouts();
      await capped.fund('alice', 1);
      expect((await capped.run('r3')).result!.skipped).toEqual([{ userId: 'alice', amount: 1, reason: 'tax_profile_blocked' }]);
      expect(await capped.onehop.getBalances('alice')).toMatchObject({ withdrawable: 1, paid: 60_000 });
    });

    it('the yearly report lists what each payee was paid with their tax form, flagging totals over the threshold', async () => {
      const provider = scriptedProvider('paypal', (r) => paid(`PP-${r.idempotencyKey}`));
      const { onehop, fund, run } = await program({ providers: [provider], program: { payouts: { taxForms: { reportThreshold: 60_000 } } } });
      await fund('alice', 75_000);
      await fund('bob', 60_000);
      await fund('carol', 1234);
      await onehop.setTaxProfile({ userId: 'alice', status: 'verified', formType: 'W-9', country: 'US', adminId: 'admin' });
      await onehop.setTaxProfile({ userId: 'bob', status: 'submitted', formType: 'W-8BEN-E', country: 'GB', adminId: 'admin' });
      await run('r1');
      await onehop.sendPayouts();
      const csv = await onehop.taxYearReport({ year: 2026 });
      expect(csv.split('\r\n')).toEqual([
        'user_id,email,year,currency,paid_minor_units,paid,tax_form,tax_status,tax_country,over_threshold',
        'alice,,2026,USD,75000,750.00,W-9,verified,US,yes',
        'bob,,2026,USD,60000,600.00,W-8BEN-E,submitted,GB,no',
        'carol,,2026,USD,1234,12.34,,none,,no',
        '',
      ]);
      expect((await onehop.taxYearReport({ year: 2026, threshold: 1000 })).split('\r\n').map((l) => l.split(',').at(-1))).toEqual([
        'over_threshold',
        'yes',
        'yes',
        'yes',
        '',
      ]);
      expect(await onehop.taxYearReport({ year: 2025 })).toBe('user_id,email,year,currency,paid_minor_units,paid,tax_form,tax_status,tax_country,over_threshold\r\n');
    });
  });
}
