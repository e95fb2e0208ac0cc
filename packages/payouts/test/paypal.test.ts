/**
 * The PayPal Payouts provider against a local HTTP server on 127.0.0.1 that
 * stands in for PayPal's REST API (test/fake-paypal-api.ts), not for anything
 * onehop ships: these machines reach no payment provider. The provider's
 * `baseUrl` option points it at the server.
 */
import { ValidationError } from '@onehop/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayoutSendRequest } from '../src/contract';
import { createPayPalProvider, type PayPalProviderOptions } from '../src/paypal';
import { type FakePayPal, startFakePayPal } from './fake-paypal-api';
import { sendRequest, unknownOutcome } from './send-requests';

let api: FakePayPal;

beforeEach(async () => {
  api = await startFakePayPal();
});
afterEach(() => api.close());

function provider(options: Partial<PayPalProviderOptions> = {}) {
  return createPayPalProvider({ clientId: api.clientId, clientSecret: api.clientSecret, currency: 'USD', baseUrl: api.url, timeoutMs: 300, ...options });
}

function payout(payoutId: string, amount: number, overrides: Partial<PayoutSendRequest> = {}): PayoutSendRequest {
  return { ...sendRequest({ payoutId, amount, method: { type: 'paypal', email: `${payoutId}@example.com` } }), ...overrides };
}

describe('PayPal provider', () => {
  it('sends one payout batch per payout, the key as sender_batch_id and PayPal-Request-Id; the batch is processing', async () => {
    const paypal = provider({ emailSubject: 'Your referral rewards' });
    expect(paypal).toMatchObject({ name: 'paypal', methodType: 'paypal' });

    const outcome = await paypal.send(payout('pay_1', 1999));

    expect(outcome).toEqual({ status: 'processing', externalReference: api.batches[0]!.payout_batch_id });
    const [token] = api.tokenRequests();
    expect(token!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token!.body).toBe('grant_type=client_credentials');
    const [create] = api.payoutRequests();
    expect(create!.headers.authorization).toMatch(/^Bearer A21AAfakeToken/);
    expect(create!.headers['paypal-request-id']).toBe('pay_1:1');
    expect(JSON.parse(create!.body)).toEqual({
      sender_batch_header: { sender_batch_id: 'pay_1:1', recipient_type: 'EMAIL', email_subject: 'Your referral rewards' },
      items: [{ recipient_type: 'EMAIL', amount: { value: '19.99', currency: 'USD' }, receiver: 'pay_1@example.com', sender_item_id: 'pay_1' }],
    });

    // The access token is kept for the next payout.
    await paypal.send(payout('pay_2', 5));
    expect(api.tokenRequests()).toHaveLength(1);
    expect(JSON.parse(api.payoutRequests()[1]!.body).items[0].amount).toEqual({ value: '0.05', currency: 'USD' });
  });

  it('writes amounts as exact decimal strings in the currency, and whole units where PayPal takes no decimals', async () => {
    await provider({ currency: 'JPY' }).send(payout('pay_jpy', 1500));
    await provider({ currency: 'KWD' }).send(payout('pay_kwd', 1234));
    await provider({ currency: 'HUF' }).send(payout('pay_huf', 150000));
    await provider({ currency: 'USD' }).send(payout('pay_big', 900719925474099));
    expect(api.payoutRequests().map((r) => JSON.parse(r.body).items[0].amount)).toEqual([
      { value: '1500', currency: 'JPY' },
      { value: '1.234', currency: 'KWD' },
      { value: '1500', currency: 'HUF' },
      { value: '9007199254740.99', currency: 'USD' },
    ]);

    expect(await provider({ currency: 'HUF' }).send(payout('pay_huf2', 150050))).toMatchObject({ status: 'failed', retryable: false });
    expect(api.payoutRequests()).toHaveLength(4);
  });

  it('maps the batch and item statuses of a poll to paid, processing and failed', async () => {
    const paypal = provider();
    const sent = await paypal.send(payout('pay_3', 1000));
    const reference = { payoutId: 'pay_3', externalReference: (sent as { externalReference: string }).externalReference };

    expect(await paypal.checkStatus(reference)).toEqual({ status: 'processing', externalReference: reference.externalReference });
    api.settle(reference.externalReference, 'SUCCESS', 'UNCLAIMED');
    expect(await paypal.checkStatus(reference)).toEqual({ status: 'processing', externalReference: reference.externalReference });
    api.settle(reference.externalReference, 'SUCCESS', 'SUCCESS');
    expect(await paypal.checkStatus(reference)).toEqual({ status: 'paid', externalReference: reference.externalReference });
    api.settle(reference.externalReference, 'SUCCESS', 'RETURNED');
    expect(await paypal.checkStatus(reference)).toEqual({ status: 'failed', reason: 'PayPal payout item RETURNED.', retryable: true });
    api.settle(reference.externalReference, 'DENIED');
    expect(await paypal.checkStatus(reference)).toEqual({ status: 'failed', reason: 'PayPal payout batch DENIED.', retryable: false });

    await expect(paypal.checkStatus({ payoutId: 'pay_3', externalReference: '../oauth2' })).rejects.toThrow(ValidationError);
    await unknownOutcome(paypal.checkStatus({ payoutId: 'pay_3', externalReference: 'NOSUCHBATCH' }));
  });

  it('throws on a 5xx (outcome unknown) and the retry sends the same sender_batch_id: one batch', async () => {
    const paypal = provider();
    api.next.push({ kind: 'error', status: 503, name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.' });

    const error = await unknownOutcome(paypal.send(payout('pay_4', 700)));
    expect(error).toMatchObject({ code: 'PAYOUT_OUTCOME_UNKNOWN', retryable: true, provider: 'paypal' });

    const outcome = await paypal.send(payout('pay_4', 700, { attempt: 2 }));
    expect(outcome).toEqual({ status: 'processing', externalReference: api.batches[0]!.payout_batch_id });
    expect(api.batches).toHaveLength(1);
    const [first, retry] = api.payoutRequests();
    expect(retry!.body).toBe(first!.body);
    expect(retry!.headers['paypal-request-id']).toBe(first!.headers['paypal-request-id']);
  });

  it('throws when the answer times out after PayPal accepted, and the retry gets the same batch back', async () => {
    const paypal = provider();
    api.next.push({ kind: 'accept-then-hang', delayMs: 1500 });

    await unknownOutcome(paypal.send(payout('pay_5', 1200)));
    expect(api.batches).toHaveLength(1);

    const outcome = await paypal.send(payout('pay_5', 1200, { attempt: 2 }));
    expect(outcome).toEqual({ status: 'processing', externalReference: api.batches[0]!.payout_batch_id });
    expect(api.batches).toHaveLength(1);
    expect(api.payoutRequests().map((r) => JSON.parse(r.body).sender_batch_header.sender_batch_id)).toEqual(['pay_5:1', 'pay_5:1']);
  });

  it('follows the link of a refused duplicate sender_batch_id to the first batch', async () => {
    const paypal = provider();
    api.next.push({ kind: 'accept-then-hang', delayMs: 1500 });
    await unknownOutcome(paypal.send(payout('pay_6', 1200)));
    api.forgetRequestIds();
    api.settle(api.batches[0]!.payout_batch_id, 'SUCCESS', 'SUCCESS');

    const outcome = await paypal.send(payout('pay_6', 1200, { attempt: 2 }));

    expect(outcome).toEqual({ status: 'paid', externalReference: api.batches[0]!.payout_batch_id });
    expect(api.batches).toHaveLength(1);
  });

  it('fails a payout PayPal refuses, with its error name; insufficient funds may be retried', async () => {
    const paypal = provider();
    api.next.push({ kind: 'error', status: 422, name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered.' });
    api.next.push({ kind: 'error', status: 422, name: 'INSUFFICIENT_FUNDS', message: 'Sender does not have sufficient funds.' });

    expect(await paypal.send(payout('pay_7', 1000))).toEqual({
      status: 'failed',
      reason: 'PayPal refused the payout (RECEIVER_UNREGISTERED: Receiver is unregistered.).',
      retryable: false,
    });
    expect(await paypal.send(payout('pay_8', 1000))).toMatchObject({ status: 'failed', retryable: true });
    expect(api.batches).toHaveLength(0);
  });

  it('gets a new token when PayPal no longer takes the one it has, and sends the same request again', async () => {
    const paypal = provider();
    await paypal.send(payout('pay_9', 1000));
    api.expireTokens();

    expect(await paypal.send(payout('pay_10', 1000))).toMatchObject({ status: 'processing' });

    expect(api.tokenRequests()).toHaveLength(2);
    const requestIds = api.payoutRequests().map((r) => r.headers['paypal-request-id']);
    expect(requestIds).toEqual(['pay_9:1', 'pay_10:1', 'pay_10:1']);
  });

  it('fails a first attempt PayPal refuses the credentials of without sending it; a retry of an unknown attempt throws', async () => {
    const paypal = provider({ clientSecret: 'wrong' });

    expect(await paypal.send(payout('pay_11', 1000))).toMatchObject({ status: 'failed', retryable: true });
    await unknownOutcome(paypal.send(payout('pay_11', 1000, { attempt: 2 })));
    expect(api.payoutRequests()).toHaveLength(0);
  });

  it('throws when PayPal cannot be reached', async () => {
    const paypal = provider();
    await paypal.send(payout('pay_12', 1000));
    await api.close();
    await unknownOutcome(paypal.send(payout('pay_13', 1000)));
  });

  it('fails payouts it cannot pay without calling PayPal, and refuses bad options and requests', async () => {
    const paypal = provider();
    const bank = sendRequest({ payoutId: 'pay_14', amount: 1000, method: { type: 'bank_transfer', accountHolder: 'A', iban: 'DE89370400440532013000' } });
    expect(await paypal.send(bank)).toMatchObject({ status: 'failed', retryable: false });
    await expect(paypal.send(payout('pay_15', 0))).rejects.toThrow(ValidationError);
    await expect(paypal.send(payout('pay_16', 100, { idempotencyKey: '' }))).rejects.toThrow(ValidationError);
    expect(api.requests).toHaveLength(0);

    expect(() => createPayPalProvider({ clientId: '', clientSecret: 's', currency: 'USD' })).toThrow(expect.objectContaining({ field: 'options.clientId' }));
    expect(() => provider({ baseUrl: 'ftp://example.com' })).toThrow(expect.objectContaining({ field: 'options.baseUrl' }));
  });
});
