import { applyBillingEvent, type BillingEvent, type BillingOutcome, type ProgramConfigInput } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import { expectBalanced, type Setup } from './money-suite';

const AT = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;

/**
 * Provider-neutral billing events (`applyBillingEvent`): redelivery,
 * reversals that arrive before their payment, refunds by running total,
 * disputes won and lost, subscription cancellation.
 */
export function billingSuite(setup: Setup): void {
  async function program(extra: Partial<ProgramConfigInput> = {}) {
    const ctx = await setup({ commission: { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } }, ...extra });
    await ctx.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const attributed = await ctx.onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    if (!attributed.ok) throw new Error(attributed.reason);
    const apply = (event: BillingEvent): Promise<BillingOutcome> => applyBillingEvent(ctx.onehop, event);
    const pay = (paymentId: string, amount: number, more: Partial<Extract<BillingEvent, { type: 'payment_succeeded' }>> = {}) =>
      apply({ type: 'payment_succeeded', paymentId, refereeId: 'bob', amount, currency: 'USD', occurredAt: AT, billing: 'one_off', ...more });
    const balances = () => ctx.onehop.getBalances('alice');
    return { ...ctx, apply, pay, balances };
  }

  it('a payment accrues once however often it is delivered', async () => {
    const { pay, balances, onehop } = await program();
    expect((await pay('pay_1', 1000)).result).toMatchObject({ status: 'recorded', replayed: false, commissions: [{ amount: 100 }] });
    expect((await pay('pay_1', 1000)).result).toMatchObject({ status: 'recorded', replayed: true });
    expect(await balances()).toMatchObject({ withdrawable: 0, pending: 100 });
    await expectBalanced(onehop, ['alice']);
  });

  it('a payment that earns nothing says why', async () => {
    const ctx = await setup({});
    await ctx.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await ctx.onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    const outcome = await applyBillingEvent(ctx.onehop, {
      type: 'payment_succeeded',
      paymentId: 'pay_1',
      refereeId: 'bob',
      amount: 1000,
      currency: 'USD',
      occurredAt: AT,
      billing: 'one_off',
    });
    expect(outcome.result).toMatchObject({ status: 'recorded', commissions: [], skipped: [{ kind: 'referral', reason: 'NO_COMMISSION_RULE' }] });
    const first = await setup({ commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'first_purchase' } } } });
    await first.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await first.onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    const pay = (paymentId: string) =>
      applyBillingEvent(first.onehop, { type: 'payment_succeeded', paymentId, refereeId: 'bob', amount: 1000, currency: 'USD', occurredAt: AT, billing: 'one_off' });
    expect((await pay('pay_1')).result).toMatchObject({ commissions: [{ amount: 100 }], skipped: [] });
    expect((await pay('pay_2')).result).toMatchObject({ commissions: [], skipped: [{ kind: 'referral', reason: 'NOT_IN_SCOPE' }] });
  });

  it('partial refunds, repeated and redelivered, each reverse their share once', async () => {
    const { pay, apply, balances, onehop } = await program();
    await pay('pay_1', 1000);
    await apply({ type: 'refund', refundId: 're_1', paymentId: 'pay_1', amount: 300 });
    expect((await apply({ type: 'refund', refundId: 're_1', paymentId: 'pay_1', amount: 300 })).result).toMatchObject({ replayed: true });
    expect(await balances()).toMatchObject({ pending: 70 });
    await apply({ type: 'refund', refundId: 're_2', paymentId: 'pay_1', amount: 700 });
    expect(await balances()).toMatchObject({ pending: 0 });
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'reversed', reversedAmount: 100 });
    await expectBalanced(onehop, ['alice']);
  });

  it('refunds given as a running total count each refund once, in any order', async () => {
    const { pay, apply, balances, onehop } = await program();
    await pay('pay_1', 1000);
    // The second refund (total 600) is delivered before the first (total 200), then both again.
    for (const total of [600, 200, 600, 200]) await apply({ type: 'refund', refundId: `ch_1/${total}`, paymentId: 'pay_1', refundedTotal: total });
    expect(await balances()).toMatchObject({ pending: 40 });
    await apply({ type: 'refund', refundId: 'ch_1/1000', paymentId: 'pay_1', refundedTotal: 1000 });
    expect(await balances()).toMatchObject({ pending: 0 });
    await expectBalanced(onehop, ['alice']);
  });

  it('a refund delivered before its payment waits for it, and is applied when the payment arrives', async () => {
    const { pay, apply, balances, onehop } = await program();
    expect((await apply({ type: 'refund', refundId: 're_1', paymentId: 'pay_1', amount: 400 })).result).toMatchObject({ status: 'pending', replayed: false });
    expect((await apply({ type: 'refund', refundId: 're_1', paymentId: 'pay_1', amount: 400 })).result).toMatchObject({ status: 'pending', replayed: true });
    expect((await apply({ type: 'refund', refundId: 'ch_1/1000', paymentId: 'pay_2', refundedTotal: 1000 })).result).toMatchObject({ status: 'pending' });
    expect(await balances()).toMatchObject({ pending: 0 });
    await pay('pay_1', 1000);
    expect(await balances()).toMatchObject({ pending: 60 });
    expect((await apply({ type: 'refund', refundId: 're_1', paymentId: 'pay_1', amount: 400 })).result).toMatchObject({
      status: 'recorded',
      replayed: true,
      reversals: [{ amount: 40 }],
    });
    await pay('pay_2', 1000);
    expect(await balances()).toMatchObject({ pending: 60 });
    expect((await onehop.listCommissions('alice')).map((c) => c.status).sort()).toEqual(['pending', 'reversed']);
    await expectBalanced(onehop, ['alice']);
  });

  it('a lost dispute is final; its close repeats its opening', async () => {
    const { pay, apply, balances, onehop } = await program();
    await pay('pay_1', 1000);
    await apply({ type: 'dispute_opened', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000 });
    expect(await balances()).toMatchObject({ pending: 0 });
    expect((await apply({ type: 'dispute_closed', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000, outcome: 'lost' })).result).toMatchObject({ replayed: true });
    expect(await balances()).toMatchObject({ pending: 0 });
    // A dispute whose opening never came is charged back at its loss.
    await pay('pay_2', 500);
    await apply({ type: 'dispute_closed', disputeId: 'dp_2', paymentId: 'pay_2', amount: 500, outcome: 'lost' });
    expect(await balances()).toMatchObject({ pending: 0 });
    await expectBalanced(onehop, ['alice']);
  });

  it('a won dispute gives back what it reversed, to the status each line had, once', async () => {
    const { pay, apply, balances, onehop } = await program();
    await pay('pay_1', 1000);
    await onehop.approveDue();
    expect(await balances()).toMatchObject({ withdrawable: 100 });
    await apply({ type: 'dispute_opened', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000 });
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'reversed', reversedAmount: 100 });
    const won = await apply({ type: 'dispute_closed', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000, outcome: 'won' });
    expect(won.result).toMatchObject({ status: 'recorded', replayed: false, reinstatements: [{ amount: 100 }] });
    expect((await apply({ type: 'dispute_closed', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000, outcome: 'won' })).result).toMatchObject({ replayed: true });
    expect(await balances()).toMatchObject({ withdrawable: 100 });
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'approved', reversedAmount: 0 });
    // The payment can be refunded again in full after the win.
    await apply({ type: 'refund', refundId: 're_1', paymentId: 'pay_1', amount: 1000 });
    expect(await balances()).toMatchObject({ withdrawable: 0 });
    await expectBalanced(onehop, ['alice']);
    expect((await onehop.listLedger('alice', { limit: 100 })).filter((e) => e.kind === 'reinstatement')).toMatchObject([{ amount: 100, bucket: 'withdrawable' }]);
  });

  it('a dispute won before it was seen opening, or before its payment, reverses nothing', async () => {
    const { pay, apply, balances, onehop } = await program();
    await pay('pay_1', 1000);
    await apply({ type: 'dispute_closed', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000, outcome: 'won' });
    await apply({ type: 'dispute_opened', disputeId: 'dp_1', paymentId: 'pay_1', amount: 1000 });
    expect(await balances()).toMatchObject({ pending: 100 });
    await apply({ type: 'dispute_opened', disputeId: 'dp_2', paymentId: 'pay_2', amount: 500 });
    await apply({ type: 'dispute_closed', disputeId: 'dp_2', paymentId: 'pay_2', amount: 500, outcome: 'won' });
    await pay('pay_2', 500);
    expect(await balances()).toMatchObject({ pending: 150 });
    await expectBalanced(onehop, ['alice']);
  });

  it('a cancelled subscription earns nothing after it ends and keeps its current period by default', async () => {
    const { pay, apply, balances } = await program();
    await pay('in_1', 1000, { billing: 'subscription_first', subscriptionId: 'sub_1' });
    const cancelled = await apply({ type: 'subscription_cancelled', subscriptionId: 'sub_1', endsAt: new Date(AT.getTime() + 30 * DAY), currentPaymentId: 'in_1' });
    expect(cancelled.result).toMatchObject({ status: 'recorded', replayed: false, currentPeriod: 'kept', reversals: [] });
    expect((await apply({ type: 'subscription_cancelled', subscriptionId: 'sub_1', endsAt: AT })).result).toMatchObject({ replayed: true, currentPeriod: 'kept' });
    // A payment inside the paid period (delivered late) still counts; one after the end does not.
    await pay('in_0', 500, { billing: 'subscription_renewal', subscriptionId: 'sub_1', occurredAt: new Date(AT.getTime() + DAY) });
    const after = await pay('in_2', 1000, { billing: 'subscription_renewal', subscriptionId: 'sub_1', occurredAt: new Date(AT.getTime() + 31 * DAY) });
    expect(after.result).toMatchObject({ status: 'ignored', reason: 'SUBSCRIPTION_CANCELLED' });
    expect(await balances()).toMatchObject({ pending: 150 });
    // Another subscription of the same referee still earns.
    await pay('in_3', 1000, { billing: 'subscription_first', subscriptionId: 'sub_2', occurredAt: new Date(AT.getTime() + 40 * DAY) });
    expect(await balances()).toMatchObject({ pending: 250 });
  });

  it('subscriptions.onCancel reverse_current_period reverses the current period’s commissions in full', async () => {
    const { pay, apply, balances, onehop } = await program({ subscriptions: { onCancel: 'reverse_current_period' } });
    await pay('in_1', 1000, { billing: 'subscription_first', subscriptionId: 'sub_1' });
    await apply({ type: 'refund', refundId: 're_1', paymentId: 'in_1', amount: 200 });
    const cancelled = await apply({ type: 'subscription_cancelled', subscriptionId: 'sub_1', endsAt: AT, currentPaymentId: 'in_1' });
    expect(cancelled.result).toMatchObject({ currentPeriod: 'reversed', reversals: [{ amount: 80 }] });
    expect(await balances()).toMatchObject({ pending: 0 });
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'reversed', statusReason: 'cancellation' });
    // A later refund of the period finds nothing left to reverse.
    expect((await apply({ type: 'refund', refundId: 'ch_1/1000', paymentId: 'in_1', refundedTotal: 1000 })).result).toMatchObject({ reversals: [] });
    await expectBalanced(onehop, ['alice']);
  });

  it('refuses a malformed event with a validation error naming the field, and writes nothing', async () => {
    const { onehop, balances } = await program();
    await expect(
      applyBillingEvent(onehop, { type: 'payment_succeeded', paymentId: 'p', refereeId: 'bob', amount: 10.5, currency: 'USD', occurredAt: AT, billing: 'one_off' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'amount' });
    await expect(
      applyBillingEvent(onehop, {
        type: 'payment_succeeded',
        paymentId: 'p',
        refereeId: 'bob',
        amount: 10,
        currency: 'USD',
        occurredAt: AT,
        billing: 'subscription_renewal',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'subscriptionId' });
    await expect(applyBillingEvent(onehop, { type: 'refund', refundId: 'r', paymentId: 'p' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await balances()).toMatchObject({ pending: 0 });
  });

  describe('refunds and chargebacks without waitForPurchase', () => {
    it('a reversal of an unknown purchase is still ignored and writes nothing', async () => {
      const { onehop, pay, balances } = await program();
      expect(await onehop.recordRefund({ eventId: 're_1', purchaseEventId: 'pay_1', amount: 100 })).toMatchObject({ status: 'ignored', reason: 'UNKNOWN_PURCHASE' });
      await pay('pay_1', 1000);
      expect(await balances()).toMatchObject({ pending: 100 });
    });
  });
}
