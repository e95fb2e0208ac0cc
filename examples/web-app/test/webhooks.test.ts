import { createManualClock, createOnehop } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';
import { describe, expect, it } from 'vitest';
import { chargeRefunded, checkoutCompleted, disputeCreated, invoicePaid, sign } from '../src/pretend-stripe';
import { webhookRoutes } from '../src/webhook-route';

const SECRET = 'whsec_onehop_example_test_secret';

async function setup() {
  const clock = createManualClock('2026-06-01T12:00:00Z');
  const onehop = createOnehop({
    store: createMemoryStore(),
    clock,
    program: { id: 'web', currency: 'USD', mode: 'mock', commission: { rule: { type: 'percentage', rateBps: 2000, scope: { type: 'lifetime' } } } },
  });
  const { participant } = await onehop.enroll({ userId: 'alice' });
  await onehop.attribute({ refereeId: 'bob', code: participant.code });
  const app = webhookRoutes({ onehop, stripeWebhookSecret: SECRET });
  const post = async (payload: object, secret = SECRET) => {
    const signed = sign(payload, secret);
    const res = await app.request('/webhooks/stripe', {
      method: 'POST',
      body: signed.payload,
      headers: { 'stripe-signature': signed.signature, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { onehop, clock, app, post };
}

describe('Stripe webhooks', () => {
  it('a verified checkout.session.completed records the purchase; its redelivery changes nothing', async () => {
    const { onehop, clock, post } = await setup();
    const { event } = checkoutCompleted('bob', 4900, 'usd', clock.now());
    const first = await post(event);
    expect(first).toMatchObject({ status: 200, body: { status: 'handled', outcome: { result: { status: 'recorded', replayed: false } } } });
    expect((await onehop.listCommissions('alice')).map((c) => c.amount)).toEqual([980]);
    const again = await post(event);
    expect(again.body).toMatchObject({ status: 'handled', outcome: { result: { status: 'recorded', replayed: true } } });
    expect(await onehop.listCommissions('alice')).toHaveLength(1);
    expect((await onehop.getBalances('alice')).pending).toBe(980);
  });

  it('refuses a bad signature, or none, and writes nothing', async () => {
    const { onehop, clock, app, post } = await setup();
    const { event } = checkoutCompleted('bob', 4900, 'usd', clock.now());
    expect((await post(event, 'whsec_someone_else')).status).toBe(400);
    const unsigned = await app.request('/webhooks/stripe', { method: 'POST', body: JSON.stringify(event) });
    expect(unsigned.status).toBe(400);
    // A body changed after signing fails too.
    const signed = sign(event, SECRET);
    const tampered = signed.payload.replace('"amount_total":4900', '"amount_total":99900');
    expect((await app.request('/webhooks/stripe', { method: 'POST', body: tampered, headers: { 'stripe-signature': signed.signature } })).status).toBe(400);
    expect(await onehop.listCommissions('alice')).toEqual([]);
  });

  it('invoice.paid counts subscription payments; refunds and disputes reverse pro rata, each once', async () => {
    const { onehop, clock, post } = await setup();
    const { event, paymentIntent } = invoicePaid('bob', 10_000, 'usd', clock.now());
    expect((await post(event)).body).toMatchObject({ status: 'handled', outcome: { result: { status: 'recorded' } } });
    const created = Math.floor(clock.now().getTime() / 1000);
    const firstRefund = chargeRefunded(paymentIntent, 10_000, [{ id: 're_1', amount: 2500, created }], clock.now());
    expect((await post(firstRefund)).body).toMatchObject({ status: 'handled', outcome: { type: 'refund', result: { status: 'recorded' } } });
    // Stripe sends the charge again after a second refund, with both refunds listed: only the new one counts.
    const second = chargeRefunded(
      paymentIntent,
      10_000,
      [
        { id: 're_1', amount: 2500, created },
        { id: 're_2', amount: 2500, created: created + 1 },
      ],
      clock.now(),
    );
    await post(second);
    await post(second);
    expect((await onehop.getCommission((await onehop.listCommissions('alice'))[0]!.id))?.reversedAmount).toBe(1000);
    await post(disputeCreated(paymentIntent, 5000, clock.now()));
    expect((await onehop.listCommissions('alice'))[0]).toMatchObject({ reversedAmount: 2000, status: 'reversed' });
    expect((await onehop.getBalances('alice')).pending).toBe(0);
  });

  it('ignores what onehop does not count, and says why', async () => {
    const { clock, post } = await setup();
    const setupSession = checkoutCompleted('bob', 4900, 'usd', clock.now()).event;
    (setupSession.data.object as Record<string, unknown>).mode = 'setup';
    expect((await post(setupSession)).body).toMatchObject({ status: 'ignored', reason: 'a setup session takes no payment' });
    const stranger = await post(checkoutCompleted('zed', 4900, 'usd', clock.now()).event);
    expect(stranger.body).toMatchObject({ status: 'handled', outcome: { result: { status: 'ignored', reason: 'NO_REFERRAL' } } });
  });
});
