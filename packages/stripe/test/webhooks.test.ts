import { type CreateOnehopOptions, createManualClock, createOnehop, fixedExchangeRates, type Onehop } from '@onehop/core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_BACKENDS, type BillingBackend } from '../../../testing/billing-backends';
import { createStripeWebhookHandler, handleStripeEvent, type StripeEventResult } from '../src/index';
import { list, type StripeStandIn, startStripeStandIn } from './stripe-api-stand-in';
import { checkoutSession, delivery, dispute, paidInvoice, refundedCharge, seconds, stripeEvent, stripeId, subscription, WEBHOOK_SECRET } from './stripe-events';

const AT = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const later = (days: number) => new Date(AT.getTime() + days * DAY);

let programs = 0;

describe.each(BILLING_BACKENDS)('@onehop/stripe webhooks on $name', (backend) => {
  let opened: Awaited<ReturnType<BillingBackend['open']>>;
  let onehop: Onehop;
  let handler: (request: Request) => Promise<Response>;
  let rows: () => Promise<Record<string, number> | undefined>;
  const verifier = new Stripe('sk_test_onehop_tests_not_a_real_key');

  beforeAll(async () => {
    opened = await backend.open();
  });
  afterAll(() => opened.close());

  async function setup(program: Record<string, unknown> = {}, extra: Partial<CreateOnehopOptions> = {}) {
    const id = `stripe-tests-${++programs}`;
    rows = async () => opened.rows?.(id);
    onehop = createOnehop({
      store: opened.store(),
      clock: createManualClock(AT),
      program: {
        id,
        currency: 'USD',
        mode: 'mock',
        commission: { holdingDays: 0, rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } },
        ...program,
      },
      ...extra,
    });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
    handler = createStripeWebhookHandler({ onehop, stripe: verifier, webhookSecret: WEBHOOK_SECRET, callStripeApi: false });
  }

  async function post(event: Stripe.Event): Promise<StripeEventResult> {
    const response = await handler(delivery(event));
    expect(response.status).toBe(200);
    return (await response.json()) as StripeEventResult;
  }
  const pending = async () => (await onehop.getBalances('alice')).pending;

  function oneOff(amount: number, fields: Partial<Stripe.Checkout.Session> = {}) {
    const session = checkoutSession({ amount_total: amount, client_reference_id: 'bob', ...fields });
    return { session, event: stripeEvent('checkout.session.completed', session, AT), paymentIntent: String(session.payment_intent) };
  }

  it('records a paid one-off Checkout Session once, however often Stripe delivers it', async () => {
    await setup();
    const { event } = oneOff(5000);
    const first = await post(event);
    expect(first).toMatchObject({ status: 'handled', billingEvent: { type: 'payment_succeeded', billing: 'one_off', amount: 5000, currency: 'USD', refereeId: 'bob' } });
    expect(first.status === 'handled' && first.outcome.result).toMatchObject({ status: 'recorded', replayed: false, commissions: [{ amount: 500 }] });
    const again = await post(event);
    expect(again.status === 'handled' && again.outcome.result).toMatchObject({ status: 'recorded', replayed: true });
    expect(await pending()).toBe(500);
  });

  it('a purchase that earns nothing says why', async () => {
    await setup({ commission: undefined });
    const result = await post(oneOff(5000).event);
    expect(result.status === 'handled' && result.outcome.result).toMatchObject({ status: 'recorded', commissions: [], skipped: [{ reason: 'NO_COMMISSION_RULE' }] });
  });

  it('counts a subscription’s first payment once (from its Checkout Session or its invoice), and its renewals', async () => {
    await setup();
    const sub = 'sub_first';
    const invoice = paidInvoice({
      amount_paid: 2000,
      billing_reason: 'subscription_create',
      subscription: sub,
      subscriptionMetadata: { onehopUserId: 'bob' },
      status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: seconds(AT), voided_at: null },
    });
    const session = checkoutSession({
      mode: 'subscription',
      amount_total: 2000,
      client_reference_id: 'bob',
      invoice: String(invoice.id),
      subscription: sub,
      payment_intent: null,
    });
    expect(await post(stripeEvent('checkout.session.completed', session, AT))).toMatchObject({
      status: 'handled',
      billingEvent: { billing: 'subscription_first', paymentId: invoice.id, subscriptionId: sub },
    });
    expect(await post(stripeEvent('invoice.paid', invoice, AT))).toMatchObject({ status: 'ignored' });
    const renewal = paidInvoice({
      amount_paid: 2000,
      subscription: sub,
      subscriptionMetadata: { onehopUserId: 'bob' },
      status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: seconds(later(30)), voided_at: null },
    });
    expect(await post(stripeEvent('invoice.paid', renewal, later(30)))).toMatchObject({ status: 'handled', billingEvent: { billing: 'subscription_renewal' } });
    expect(await pending()).toBe(400);
  });

  it('partial refunds, repeated, redelivered and out of order, each reverse their share once', async () => {
    await setup();
    const { event, paymentIntent } = oneOff(10_000);
    await post(event);
    const refunded = (total: number) => stripeEvent('charge.refunded', refundedCharge({ payment_intent: paymentIntent, amount: 10_000, amount_refunded: total }), AT);
    const second = refunded(7000);
    const first = refunded(3000);
    await post(second);
    await post(first);
    await post(second);
    expect(await pending()).toBe(300);
    await post(refunded(10_000));
    expect(await pending()).toBe(0);
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'reversed', reversedAmount: 1000 });
  });

  it('a refund delivered before its payment is applied when the payment arrives', async () => {
    await setup();
    const { event, paymentIntent } = oneOff(10_000);
    const refund = await post(stripeEvent('charge.refunded', refundedCharge({ payment_intent: paymentIntent, amount: 10_000, amount_refunded: 2500 }), AT));
    expect(refund.status === 'handled' && refund.outcome.result).toMatchObject({ status: 'pending' });
    await post(event);
    expect(await pending()).toBe(750);
  });

  it('a lost dispute reverses the payment’s commission for good; a won one gives it back', async () => {
    await setup();
    const lost = oneOff(4000);
    const won = oneOff(6000);
    await post(lost.event);
    await post(won.event);
    expect(await pending()).toBe(1000);
    const lostDispute = dispute({ payment_intent: lost.paymentIntent, amount: 4000, status: 'needs_response' });
    await post(stripeEvent('charge.dispute.created', lostDispute, AT));
    await post(stripeEvent('charge.dispute.closed', { ...lostDispute, status: 'lost' }, later(20)));
    expect(await pending()).toBe(600);
    const wonDispute = dispute({ payment_intent: won.paymentIntent, amount: 6000, status: 'needs_response' });
    await post(stripeEvent('charge.dispute.created', wonDispute, AT));
    expect(await pending()).toBe(0);
    const closed = stripeEvent('charge.dispute.closed', { ...wonDispute, status: 'won' }, later(20));
    expect(await post(closed)).toMatchObject({ status: 'handled', outcome: { outcome: 'won', result: { reinstatements: [{ amount: 600 }] } } });
    await post(closed);
    expect(await pending()).toBe(600);
  });

  it('a subscription set to cancel at period end earns nothing after that end; its deletion changes nothing more', async () => {
    await setup();
    const sub = 'sub_cancel';
    const paid = (days: number) =>
      paidInvoice({
        amount_paid: 1000,
        subscription: sub,
        subscriptionMetadata: { onehopUserId: 'bob' },
        status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: seconds(later(days)), voided_at: null },
      });
    const current = paid(0);
    await post(stripeEvent('invoice.paid', current, AT));
    const periodEnd = later(30);
    const cancelling = subscription({ id: sub, cancel_at_period_end: true, cancel_at: seconds(periodEnd), latest_invoice: String(current.id), periodEnd });
    const updated = await post(stripeEvent('customer.subscription.updated', cancelling, later(2), { cancel_at_period_end: false, cancel_at: null }));
    expect(updated).toMatchObject({ status: 'handled', billingEvent: { type: 'subscription_cancelled', subscriptionId: sub, currentPaymentId: current.id } });
    expect(updated.status === 'handled' && updated.outcome.result).toMatchObject({ currentPeriod: 'kept' });
    const late = await post(stripeEvent('invoice.paid', paid(31), later(31)));
    expect(late.status === 'handled' && late.outcome.result).toMatchObject({ status: 'ignored', reason: 'SUBSCRIPTION_CANCELLED' });
    const deleted = await post(
      stripeEvent('customer.subscription.deleted', { ...cancelling, status: 'canceled', ended_at: seconds(periodEnd), canceled_at: seconds(later(2)) }, periodEnd),
    );
    expect(deleted.status === 'handled' && deleted.outcome.result).toMatchObject({ replayed: true });
    expect(await pending()).toBe(100);
    // An update that does not cancel is acknowledged and ignored.
    expect(await post(stripeEvent('customer.subscription.updated', subscription({ id: 'sub_other' }), AT))).toMatchObject({ status: 'ignored' });
  });

  it('a payment by a customer it cannot tie to a user is answered unmapped and writes nothing', async () => {
    await setup();
    const before = await rows();
    const result = await post(oneOff(5000, { client_reference_id: null }).event);
    expect(result).toMatchObject({ status: 'unmapped', reason: 'UNKNOWN_CUSTOMER' });
    expect(await rows()).toEqual(before);
    expect(await pending()).toBe(0);
  });

  it('acknowledges an event it does not use, and says so', async () => {
    await setup();
    const event = stripeEvent('customer.created', { id: stripeId('cus'), object: 'customer' }, AT);
    expect(await post(event)).toMatchObject({ status: 'ignored', reason: 'onehop does not use customer.created' });
  });

  it('refuses a delivery with a bad, stale or missing signature with 400, and writes nothing', async () => {
    await setup();
    const before = await rows();
    const { event } = oneOff(5000);
    const forged = await handler(delivery(event, { secret: 'whsec_someone_else' }));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toEqual({ error: 'invalid Stripe signature' });
    const missing = await handler(delivery(event, { signature: null }));
    expect(missing.status).toBe(400);
    const stale = verifier.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: WEBHOOK_SECRET, timestamp: seconds(new Date()) - 3600 });
    expect((await handler(delivery(event, { signature: stale }))).status).toBe(400);
    const tampered = new Request('http://localhost/webhooks/stripe', {
      method: 'POST',
      headers: { 'stripe-signature': verifier.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: WEBHOOK_SECRET }) },
      body: JSON.stringify({ ...event, id: 'evt_tampered' }),
    });
    expect((await handler(tampered)).status).toBe(400);
    expect(await rows()).toEqual(before);
    expect(await pending()).toBe(0);
  });

  it('answers a failure of the engine with 500 and its code, so Stripe delivers again', async () => {
    await setup();
    const session = checkoutSession({ amount_total: 5000, client_reference_id: 'bob', currency: 'eur' });
    const response = await handler(delivery(stripeEvent('checkout.session.completed', session, AT)));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'CURRENCY_MISMATCH' });
  });

  it('a payment in another currency is converted at the program’s rate, and refunding all of it nets its commission to zero', async () => {
    await setup({}, { exchangeRates: fixedExchangeRates({ 'EUR/USD': '1.0845' }) });
    const session = checkoutSession({ amount_total: 4999, client_reference_id: 'bob', currency: 'eur' });
    const paid = await post(stripeEvent('checkout.session.completed', session, AT));
    // 49.99 EUR at 1.0845 is 54.214155 USD; 10 % of it is 542.14155 cents, rounded once: 542.
    expect(paid.status === 'handled' && paid.outcome.result).toMatchObject({
      status: 'recorded',
      commissions: [{ amount: 542, calculation: { baseAmount: 5421, conversion: { amount: 4999, currency: 'EUR', rate: 10845, rateScale: 4 } } }],
    });
    const paymentIntent = String(session.payment_intent);
    const refunded = (total: number) =>
      stripeEvent('charge.refunded', refundedCharge({ payment_intent: paymentIntent, amount: 4999, amount_refunded: total, currency: 'eur' }), AT);
    await post(refunded(1234));
    await post(refunded(4999));
    expect(await pending()).toBe(0);
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ status: 'reversed', reversedAmount: 542 });
  });

  it('reads amounts in ISO 4217 minor units: ISK, which Stripe sends with two decimals, and HUF in hundredths', async () => {
    await setup({ currency: 'ISK' }, { exchangeRates: fixedExchangeRates({ 'HUF/ISK': '0.35' }) });
    // 10,000 kr: Stripe's amount_total is 1,000,000 (two decimals); 10 % is 1,000 kr.
    const krona = checkoutSession({ amount_total: 1_000_000, client_reference_id: 'bob', currency: 'isk' });
    const paid = await post(stripeEvent('checkout.session.completed', krona, AT));
    expect(paid.status === 'handled' && paid.billingEvent).toMatchObject({ amount: 10_000, currency: 'ISK' });
    expect(paid.status === 'handled' && paid.outcome.result).toMatchObject({ status: 'recorded', commissions: [{ amount: 1_000 }] });
    // Refunding 2,500 kr of it (Stripe: 250,000) reverses 250 kr.
    const refund = refundedCharge({ payment_intent: String(krona.payment_intent), amount: 1_000_000, amount_refunded: 250_000, currency: 'isk' });
    await post(stripeEvent('charge.refunded', refund, AT));
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ reversedAmount: 250 });
    // 5,000.00 Ft (Stripe: 500,000 hundredths) at 0.35 is 1,750 kr; 10 % is 175 kr.
    const forint = checkoutSession({ amount_total: 500_000, client_reference_id: 'bob', currency: 'huf' });
    const second = await post(stripeEvent('checkout.session.completed', forint, AT));
    expect(second.status === 'handled' && second.outcome.result).toMatchObject({ status: 'recorded', commissions: [{ amount: 175 }] });
  });

  describe('with the Stripe API (a local stand-in)', () => {
    let api: StripeStandIn;
    beforeAll(async () => {
      api = await startStripeStandIn();
    });
    afterAll(() => api.close());

    it('a refund of a subscription payment finds its invoice through the PaymentIntent', async () => {
      await setup();
      api.routes.length = 0;
      const sub = 'sub_refund';
      const invoice = paidInvoice({ amount_paid: 3000, subscription: sub, subscriptionMetadata: { onehopUserId: 'bob' } });
      await handleStripeEvent(onehop, stripeEvent('invoice.paid', invoice, AT), { stripe: api.stripe });
      api.routes.push((r) =>
        r.path === '/v1/invoice_payments'
          ? { body: list('/v1/invoice_payments', [{ id: 'inpay_1', object: 'invoice_payment', invoice: invoice.id, status: 'paid' }]) }
          : undefined,
      );
      const result = await handleStripeEvent(
        onehop,
        stripeEvent('charge.refunded', refundedCharge({ payment_intent: 'pi_sub_refund', amount: 3000, amount_refunded: 3000 }), AT),
        { stripe: api.stripe },
      );
      expect(result).toMatchObject({ status: 'handled', billingEvent: { paymentId: invoice.id, refundedTotal: 3000 } });
      expect(api.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: '/v1/invoice_payments',
        query: { 'payment[type]': 'payment_intent', 'payment[payment_intent]': 'pi_sub_refund', limit: '1' },
      });
      expect(await pending()).toBe(0);
    });

    it('a promotion code a referrer shares refers the buyer who types it (the code read from the session, by id)', async () => {
      await setup();
      api.routes.length = 0;
      api.routes.push((r) =>
        r.path === '/v1/promotion_codes/promo_alice' ? { body: { id: 'promo_alice', object: 'promotion_code', code: 'ALICE123', active: true } } : undefined,
      );
      const session = checkoutSession({
        amount_total: 8000,
        client_reference_id: 'carol',
        customer_details: { email: 'carol@example.com' } as Stripe.Checkout.Session.CustomerDetails,
        discounts: [{ coupon: 'onehop_coupon', promotion_code: 'promo_alice' }],
      });
      const result = await handleStripeEvent(onehop, stripeEvent('checkout.session.completed', session, AT), { stripe: api.stripe });
      expect(result).toMatchObject({ status: 'handled', billingEvent: { promoCode: 'ALICE123', email: 'carol@example.com' } });
      expect(result.status === 'handled' && result.outcome.result).toMatchObject({ status: 'recorded', commissions: [{ amount: 800 }] });
      expect(api.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/promotion_codes/promo_alice' });
      expect(await onehop.getReferralByReferee('carol')).toMatchObject({ referrerId: 'alice' });
    });

    it('a failing Stripe API call is a BillingProviderError, and nothing is written', async () => {
      await setup();
      api.routes.length = 0;
      api.routes.push(() => ({ status: 500, body: { error: { type: 'api_error', message: 'stand-in failure' } } }));
      await expect(
        handleStripeEvent(onehop, stripeEvent('charge.refunded', refundedCharge({ payment_intent: 'pi_x', amount: 100, amount_refunded: 100 }), AT), {
          stripe: api.stripe,
        }),
      ).rejects.toMatchObject({ code: 'BILLING_PROVIDER_ERROR', retryable: true });
    });
  });
});
