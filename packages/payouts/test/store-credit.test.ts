import { ValidationError } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import { createStoreCreditProvider } from '../src/store-credit';
import { sendRequest } from './send-requests';

describe('store credit provider', () => {
  it('answers processing with a reference: no money leaves, the application applies the credit and settles the payout', async () => {
    const provider = createStoreCreditProvider();
    expect(provider).toMatchObject({ name: 'store-credit', methodType: 'store_credit' });
    const request = sendRequest({ payoutId: 'pay_1', amount: 2500, method: { type: 'store_credit' } });

    expect(await provider.send(request)).toEqual({ status: 'processing', externalReference: 'store-credit:pay_1:1' });
    // The same attempt again gets the same reference.
    expect(await provider.send(request)).toEqual({ status: 'processing', externalReference: 'store-credit:pay_1:1' });
  });

  it("uses the application's reference, and fails payouts of another method", async () => {
    const provider = createStoreCreditProvider({ reference: (request) => `credit-note-${request.payout.id}` });
    expect(await provider.send(sendRequest({ payoutId: 'pay_2', amount: 100, method: { type: 'store_credit' } }))).toEqual({
      status: 'processing',
      externalReference: 'credit-note-pay_2',
    });
    expect(await provider.send(sendRequest({ payoutId: 'pay_3', amount: 100, method: { type: 'paypal', email: 'a@example.com' } }))).toMatchObject({
      status: 'failed',
      retryable: false,
    });
    await expect(provider.send(sendRequest({ payoutId: 'pay_4', amount: -1, method: { type: 'store_credit' } }))).rejects.toThrow(ValidationError);
    expect(() => createStoreCreditProvider({ reference: 'x' } as never)).toThrow(expect.objectContaining({ field: 'options.reference' }));
  });
});
