/**
 * The Stripe Connect provider against a local HTTP server on 127.0.0.1 that
 * stands in for Stripe's API (test/fake-stripe-api.ts), not for anything
 * onehop ships: these machines reach no payment provider. The client is the
 * real `stripe` package, pointed at the server with its host, port and
 * protocol options.
 */
import { isOnehopError, ValidationError } from '@onehop/core';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayoutSendRequest } from '../src/contract';
import { createStripeConnectProvider } from '../src/stripe-connect';
import { type FakeStripe, startFakeStripe } from './fake-stripe-api';
import { sendRequest, unknownOutcome } from './send-requests';

let api: FakeStripe;
let stripe: Stripe;

beforeEach(async () => {
  api = await startFakeStripe();
  stripe = new Stripe('sk_test_fake', { host: '127.0.0.1', port: api.port, protocol: 'http', maxNetworkRetries: 0, timeout: 500 });
});
afterEach(() => api.close());

function transfer(payoutId: string, amount: number, overrides: Partial<PayoutSendRequest> = {}): PayoutSendRequest {
  return { ...sendRequest({ payoutId, amount, method: { type: 'stripe_connect', accountId: 'acct_1Payee' } }), ...overrides };
}

describe('Stripe Connect provider', () => {
  it('pays a payout with one transfer to the connected account, the payout key as Idempotency-Key', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'USD', description: 'Referral rewards' });
    expect(provider).toMatchObject({ name: 'stripe-connect', methodType: 'stripe_connect' });

    const outcome = await provider.send(transfer('pay_1', 1999));

    expect(outcome).toEqual({ status: 'paid', externalReference: api.transfers[0]!.id });
    const [create] = api.creates();
    expect(create!.headers['idempotency-key']).toBe('pay_1:1');
    expect(Object.fromEntries(new URLSearchParams(create!.body))).toEqual({
      amount: '1999',
      currency: 'usd',
      destination: 'acct_1Payee',
      transfer_group: 'onehop_pay_1',
      description: 'Referral rewards',
      'metadata[onehop_payout_id]': 'pay_1',
      'metadata[onehop_program_id]': 'main',
    });
  });

  it("sends amounts in Stripe's minor units, refusing those Stripe cannot take without sending them", async () => {
    const yen = createStripeConnectProvider({ stripe, currency: 'JPY' });
    await yen.send(transfer('pay_jpy', 1500));
    const krona = createStripeConnectProvider({ stripe, currency: 'ISK' });
    await krona.send(transfer('pay_isk', 1000));
    expect(api.transfers.map((t) => [t.currency, t.amount])).toEqual([
      ['jpy', 1500],
      ['isk', 100000],
    ]);

    const dinar = createStripeConnectProvider({ stripe, currency: 'KWD' });
    expect(await dinar.send(transfer('pay_kwd', 1235))).toMatchObject({ status: 'failed', retryable: false });
    expect(await dinar.send(transfer('pay_kwd2', 1230))).toMatchObject({ status: 'paid' });
    expect(api.creates()).toHaveLength(3);
  });

  it('throws on a 500 (outcome unknown) and the retry sends the same key and parameters: one transfer', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'EUR' });
    api.next.push({ kind: 'error', status: 500, type: 'api_error', message: 'An unknown error occurred' });

    const error = await unknownOutcome(provider.send(transfer('pay_2', 2500)));
    expect(error).toMatchObject({ code: 'PAYOUT_OUTCOME_UNKNOWN', retryable: true, provider: 'stripe-connect' });
    expect(isOnehopError(error)).toBe(true);

    const outcome = await provider.send(transfer('pay_2', 2500, { attempt: 2 }));
    expect(outcome).toEqual({ status: 'paid', externalReference: api.transfers[0]!.id });
    expect(api.transfers).toHaveLength(1);
    const [first, retry] = api.creates();
    expect(retry!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(retry!.body).toBe(first!.body);
    // The retry first looked for a transfer of this payout.
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/transfers',
      'GET /v1/transfers?transfer_group=onehop_pay_2&limit=1',
      'POST /v1/transfers',
    ]);
  });

  it('finds the transfer Stripe made when its answer timed out: paid, never a second transfer', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'EUR' });
    api.next.push({ kind: 'accept-then-hang', delayMs: 1500 });

    await unknownOutcome(provider.send(transfer('pay_3', 4200)));
    expect(api.transfers).toHaveLength(1);

    const outcome = await provider.send(transfer('pay_3', 4200, { attempt: 2 }));
    expect(outcome).toEqual({ status: 'paid', externalReference: api.transfers[0]!.id });
    expect(api.transfers).toHaveLength(1);
  });

  it("answers a repeat of the same attempt from Stripe's replay of the saved answer", async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'EUR' });
    api.next.push({ kind: 'accept-then-hang', delayMs: 1500 });
    await unknownOutcome(provider.send(transfer('pay_4', 100)));

    const outcome = await provider.send(transfer('pay_4', 100));

    expect(outcome).toEqual({ status: 'paid', externalReference: api.transfers[0]!.id });
    expect(api.transfers).toHaveLength(1);
    expect(api.creates().map((r) => r.headers['idempotency-key'])).toEqual(['pay_4:1', 'pay_4:1']);
  });

  it('fails a payout Stripe refuses, with its code; only a short platform balance may be retried', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'USD' });
    api.next.push({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'destination',
      message: "No such destination: 'acct_1Payee'",
    });
    api.next.push({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      code: 'balance_insufficient',
      message: 'You have insufficient available funds in your Stripe account.',
    });

    const missing = await provider.send(transfer('pay_5', 1000));
    const short = await provider.send(transfer('pay_6', 1000));

    expect(missing).toEqual({ status: 'failed', reason: "Stripe refused the transfer (resource_missing: No such destination: 'acct_1Payee').", retryable: false });
    expect(short).toMatchObject({ status: 'failed', retryable: true });
    expect(api.transfers).toHaveLength(0);
  });

  it('fails a rate-limited transfer as retryable; a retry that cannot look for the earlier transfer throws', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'USD' });
    const rateLimited = { kind: 'error', status: 429, type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } as const;
    api.next.push(rateLimited);
    api.nextList.push(rateLimited);

    expect(await provider.send(transfer('pay_7', 1000))).toMatchObject({ status: 'failed', retryable: true });
    await unknownOutcome(provider.send(transfer('pay_7', 1000, { attempt: 2 })));
    expect(api.transfers).toHaveLength(0);
  });

  it('throws when a key comes back with other parameters: the first request may have paid', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'USD' });
    await provider.send(transfer('pay_9', 1000));

    const error = await unknownOutcome(provider.send(transfer('pay_10', 1000, { idempotencyKey: 'pay_9:1' })));

    expect(error.retryable).toBe(false);
    expect(api.transfers).toHaveLength(1);
  });

  it('throws when Stripe cannot be reached', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'USD' });
    await api.close();
    await unknownOutcome(provider.send(transfer('pay_11', 1000)));
  });

  it('fails payouts it cannot pay without calling Stripe, and refuses bad options and requests', async () => {
    const provider = createStripeConnectProvider({ stripe, currency: 'USD' });
    const paypal = sendRequest({ payoutId: 'pay_12', amount: 1000, method: { type: 'paypal', email: 'payee@example.com' } });
    expect(await provider.send(paypal)).toMatchObject({ status: 'failed', retryable: false });
    expect(await provider.send(transfer('pay_13', 1000, { method: { type: 'stripe_connect', accountId: 'payee@example.com' } }))).toMatchObject({
      status: 'failed',
      retryable: false,
    });
    await expect(provider.send(transfer('pay_14', 10.5))).rejects.toThrow(ValidationError);
    expect(api.requests).toHaveLength(0);

    expect(() => createStripeConnectProvider({ stripe, currency: 'usd' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'options.currency' }));
  });
});
