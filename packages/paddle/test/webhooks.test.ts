import { type CreateOnehopOptions, createManualClock, createOnehop, fixedExchangeRates, type Onehop } from '@onehop/core';
import { Paddle } from '@paddle/paddle-node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_BACKENDS, type BillingBackend } from '../../../testing/billing-backends';
import { createPaddleWebhookHandler, type PaddleEventResult } from '../src/index';
import { adjustment, delivery, paddleEvent, SECRET, signature, subscription, transaction } from './paddle-events';

const AT = '2026-03-01T12:00:00Z';
const day = (d: number) => new Date(Date.parse(AT) + d * 86_400_000).toISOString();

let programs = 0;

describe.each(BILLING_BACKENDS)('@onehop/paddle webhooks on $name', (backend) => {
  let opened: Awaited<ReturnType<BillingBackend['open']>>;
  let onehop: Onehop;
  let handler: (request: Request) => Promise<Response>;
  let rows: () => Promise<Record<string, number> | undefined>;

  beforeAll(async () => {
    opened = await backend.open();
  });
  afterAll(() => opened.close());

  async function setup(extra: Partial<CreateOnehopOptions> = {}) {
    const id = `paddle-tests-${++programs}`;
    rows = async () => opened.rows?.(id);
    onehop = createOnehop({
      store: opened.store(),
      clock: createManualClock(AT),
      program: { id, currency: 'USD', mode: 'mock', commission: { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } } },
      ...extra,
    });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    handler = createPaddleWebhookHandler({ onehop, paddle: new Paddle('pdl_sdbx_apikey_01onehoptestsnotarealkey'), webhookSecret: SECRET });
  }
  async function post(event: object): Promise<PaddleEventResult> {
    const response = await handler(delivery(event));
    expect(response.status).toBe(200);
    return (await response.json()) as PaddleEventResult;
  }
  const pending = async () => (await onehop.getBalances('alice')).pending;
  const completed = (total: number, more: Partial<Parameters<typeof transaction>[0]> = {}) =>
    paddleEvent('transaction.completed', transaction({ total, userId: 'bob', billedAt: AT, ...more }), AT);

  it('records a completed transaction once, however often Paddle delivers it', async () => {
    await setup();
    const event = completed(5000);
    expect(await post(event)).toMatchObject({ status: 'handled', billingEvent: { type: 'payment_succeeded', amount: 5000, currency: 'USD', billing: 'one_off' } });
    const again = await post(event);
    expect(again.status === 'handled' && again.outcome.result).toMatchObject({ status: 'recorded', replayed: true });
    expect(await pending()).toBe(500);
  });

  it('counts a subscription’s first payment and its renewals', async () => {
    await setup();
    expect(await post(completed(2000, { subscriptionId: 'sub_01', origin: 'web' }))).toMatchObject({ billingEvent: { billing: 'subscription_first' } });
    expect(await post(completed(2000, { subscriptionId: 'sub_01', origin: 'subscription_recurring', billedAt: day(30) }))).toMatchObject({
      billingEvent: { billing: 'subscription_renewal' },
    });
    expect(await pending()).toBe(400);
  });

  it('refunds (approved adjustments), partial, repeated, redelivered and before their payment, each count once', async () => {
    await setup();
    const payment = completed(10_000);
    const txId = (payment.data as { id: string }).id;
    const early = paddleEvent('adjustment.updated', adjustment({ transactionId: txId, action: 'refund', total: 2000, at: AT }), AT);
    expect(await post(early)).toMatchObject({ status: 'handled', outcome: { result: { status: 'pending' } } });
    const awaiting = paddleEvent('adjustment.created', adjustment({ transactionId: txId, action: 'refund', total: 3000, status: 'pending_approval', at: AT }), AT);
    expect(await post(awaiting)).toMatchObject({ status: 'ignored', reason: 'refund status is pending_approval' });
    await post(payment);
    expect(await pending()).toBe(800);
    const approved = paddleEvent('adjustment.updated', { ...awaiting.data, status: 'approved' }, day(1));
    await post(approved);
    await post(approved);
    await post(early);
    expect(await pending()).toBe(500);
  });

  it('a chargeback reverses the payment’s commission; its reversal gives it back', async () => {
    await setup();
    const payment = completed(4000);
    const txId = (payment.data as { id: string }).id;
    await post(payment);
    await post(paddleEvent('adjustment.created', adjustment({ transactionId: txId, action: 'chargeback', total: 4000, at: day(5) }), day(5)));
    expect(await pending()).toBe(0);
    const won = await post(paddleEvent('adjustment.created', adjustment({ transactionId: txId, action: 'chargeback_reverse', total: 4000, at: day(40) }), day(40)));
    expect(won).toMatchObject({ status: 'handled', outcome: { outcome: 'won', result: { reinstatements: [{ amount: 400 }] } } });
    expect(await pending()).toBe(400);
  });

  it('a transaction in another currency is converted at the program’s rate, and a chargeback of all of it nets its commission to zero', async () => {
    await setup({ exchangeRates: fixedExchangeRates({ 'JPY/USD': '0.0066' }) });
    const payment = completed(12_345, { currency: 'JPY' });
    const txId = (payment.data as { id: string }).id;
    // 12,345 JPY at 0.0066 is 81.477 USD; 10 % of it is 814.77 cents, rounded once: 815.
    expect(await post(payment)).toMatchObject({
      status: 'handled',
      billingEvent: { currency: 'JPY', amount: 12_345 },
      outcome: { result: { status: 'recorded', commissions: [{ amount: 815, calculation: { baseAmount: 8148, conversion: { currency: 'JPY', amount: 12_345 } } }] } },
    });
    await post(paddleEvent('adjustment.created', adjustment({ transactionId: txId, action: 'chargeback', total: 12_345, at: day(5) }), day(5)));
    expect(await pending()).toBe(0);
  });

  it('without a rate provider a transaction in another currency is answered 500 with CURRENCY_MISMATCH, so Paddle delivers it again', async () => {
    await setup();
    const response = await handler(delivery(completed(5000, { currency: 'EUR' })));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'CURRENCY_MISMATCH' });
  });

  it('a canceled subscription earns nothing after it ends', async () => {
    await setup();
    await post(completed(1000, { subscriptionId: 'sub_02' }));
    const scheduled = await post(paddleEvent('subscription.updated', subscription({ id: 'sub_02', status: 'active', scheduledCancelAt: day(30) }), day(2)));
    expect(scheduled).toMatchObject({ status: 'handled', billingEvent: { type: 'subscription_cancelled', subscriptionId: 'sub_02' } });
    const late = await post(completed(1000, { subscriptionId: 'sub_02', origin: 'subscription_recurring', billedAt: day(31) }));
    expect(late.status === 'handled' && late.outcome.result).toMatchObject({ status: 'ignored', reason: 'SUBSCRIPTION_CANCELLED' });
    const canceled = await post(paddleEvent('subscription.canceled', subscription({ id: 'sub_02', status: 'canceled', canceledAt: day(30) }), day(30)));
    expect(canceled.status === 'handled' && canceled.outcome.result).toMatchObject({ replayed: true });
    expect(await pending()).toBe(100);
  });

  it('answers a transaction by an unknown customer unmapped, and an event it does not use ignored; neither writes anything', async () => {
    await setup();
    const before = await rows();
    expect(await post(paddleEvent('transaction.completed', transaction({ total: 1000, billedAt: AT }), AT))).toMatchObject({
      status: 'unmapped',
      reason: 'UNKNOWN_CUSTOMER',
    });
    expect(await post(paddleEvent('customer.created', { id: 'ctm_01' }, AT))).toMatchObject({ status: 'ignored' });
    expect(await rows()).toEqual(before);
  });

  it('refuses a delivery with a bad, stale or missing signature with 400, and writes nothing', async () => {
    await setup();
    const before = await rows();
    const event = completed(5000);
    expect((await handler(delivery(event, { secret: 'pdl_ntfset_someone_else' }))).status).toBe(400);
    expect((await handler(delivery(event, { header: null }))).status).toBe(400);
    expect((await handler(delivery(event, { header: 'not a signature' }))).status).toBe(400);
    const body = JSON.stringify(event);
    const stale = signature(body, SECRET, Math.floor(Date.now() / 1000) - 3600);
    expect((await handler(delivery(event, { header: stale }))).status).toBe(400);
    const tampered = new Request('http://localhost/webhooks/paddle', {
      method: 'POST',
      headers: { 'paddle-signature': signature(body) },
      body: body.replace('5000', '9000'),
    });
    expect((await handler(tampered)).status).toBe(400);
    expect(await rows()).toEqual(before);
    expect(await pending()).toBe(0);
  });
});
