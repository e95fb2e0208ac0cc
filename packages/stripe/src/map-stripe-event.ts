import type { BillingEvent } from '@onehop/core';
import type Stripe from 'stripe';
import { callStripe } from './call-stripe';
import type { StripeMappingOptions } from './options';
import { promoCodeOf } from './promotion-code-of';
import { fromStripeAmount } from './stripe-amount';
import { at, idOf, obj, str } from './stripe-fields';

/**
 * What a Stripe event means for onehop: a provider-neutral billing event,
 * nothing (`ignore`, with the reason), or a payment whose customer is not
 * known (`unmapped`).
 */
export type StripeMapping =
  | { action: 'apply'; event: BillingEvent }
  | { action: 'ignore'; reason: string }
  | { action: 'unmapped'; reason: 'UNKNOWN_CUSTOMER'; message: string };

const ignore = (reason: string): StripeMapping => ({ action: 'ignore', reason });

/**
 * Maps one verified Stripe event (see the package README for the table).
 * Amounts are Stripe's integers in minor units; currencies are upper-cased
 * to their ISO codes. A payment is keyed by its PaymentIntent (one-off
 * Checkout payments) or its invoice (subscriptions), which is what its
 * refunds, disputes and cancellation name.
 */
export async function mapStripeEvent(event: Stripe.Event, options: StripeMappingOptions = {}): Promise<StripeMapping> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutSession(event, event.data.object, options);
    case 'invoice.paid':
      return invoicePaid(event, event.data.object, options);
    case 'charge.refunded': {
      const charge = event.data.object;
      if (charge.amount_refunded <= 0) return ignore('nothing was refunded');
      const refunded = fromStripeAmount(charge.amount_refunded, charge.currency);
      return {
        action: 'apply',
        event: {
          type: 'refund',
          // Stripe reports the charge's refunded total: each total is one refund, counted once whatever the order.
          refundId: `${charge.id}:refunded:${charge.amount_refunded}`,
          paymentId: await paymentOf(charge.payment_intent, charge.id, options),
          refundedTotal: refunded,
          occurredAt: at(event.created),
        },
      };
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      return {
        action: 'apply',
        event: {
          type: 'dispute_opened',
          disputeId: dispute.id,
          paymentId: await paymentOf(dispute.payment_intent, idOf(dispute.charge), options),
          amount: fromStripeAmount(dispute.amount, dispute.currency),
        },
      };
    }
    case 'charge.dispute.closed': {
      const dispute = event.data.object;
      // `warning_closed`: an inquiry closed without becoming a chargeback, so whatever it reversed comes back.
      const outcome = dispute.status === 'lost' ? 'lost' : dispute.status === 'won' || dispute.status === 'warning_closed' ? 'won' : null;
      if (!outcome) return ignore(`dispute status is ${dispute.status}`);
      return {
        action: 'apply',
        event: {
          type: 'dispute_closed',
          disputeId: dispute.id,
          paymentId: await paymentOf(dispute.payment_intent, idOf(dispute.charge), options),
          amount: fromStripeAmount(dispute.amount, dispute.currency),
          outcome,
          occurredAt: at(event.created),
        },
      };
    }
    case 'customer.subscription.deleted': {
      const sub = event.data.object;
      return { action: 'apply', event: cancelled(sub, at(sub.ended_at ?? sub.canceled_at ?? event.created)) };
    }
    case 'customer.subscription.updated': {
      const sub = event.data.object;
      // Cancellation at the end of the period (or at a set time): the subscription runs until then.
      if (sub.status === 'canceled' || (!sub.cancel_at_period_end && sub.cancel_at === null)) return ignore('the subscription is not set to cancel');
      const end = sub.cancel_at ?? sub.items?.data[0]?.current_period_end ?? event.created;
      return { action: 'apply', event: cancelled(sub, at(end)) };
    }
    default:
      return ignore(`onehop does not use ${event.type}`);
  }
}

function cancelled(sub: Stripe.Subscription, endsAt: Date): BillingEvent {
  const latest = idOf(sub.latest_invoice);
  return { type: 'subscription_cancelled', subscriptionId: sub.id, endsAt, ...(latest ? { currentPaymentId: latest } : {}) };
}

async function checkoutSession(event: Stripe.Event, session: Stripe.Checkout.Session, options: StripeMappingOptions): Promise<StripeMapping> {
  if (session.payment_status !== 'paid') return ignore(`payment_status is ${session.payment_status}`);
  if (session.mode === 'setup') return ignore('a setup session takes no payment');
  const amount = fromStripeAmount(session.amount_total ?? 0, session.currency ?? '');
  if (amount <= 0) return ignore('nothing was paid');
  const subscription = session.mode === 'subscription';
  // A subscription's first payment is its first invoice, which invoice.paid names too.
  const paymentId = subscription ? idOf(session.invoice) : idOf(session.payment_intent);
  if (!paymentId) return ignore(subscription ? 'the session names no invoice' : 'the session names no PaymentIntent');
  const refereeId = str(session.client_reference_id) ?? metadataUser(options, session.metadata) ?? (await lookup(options, session, session.customer, event));
  if (!refereeId) return unknownCustomer(session.id, session.customer);
  const subscriptionId = idOf(session.subscription);
  const promoCode = await promoCodeOf(
    (session.discounts ?? []).map((d) => d.promotion_code),
    options,
  );
  const email = str(session.customer_details?.email);
  return {
    action: 'apply',
    event: {
      type: 'payment_succeeded',
      paymentId,
      refereeId,
      amount,
      currency: session.currency?.toUpperCase() ?? '',
      occurredAt: at(event.created),
      billing: subscription && subscriptionId ? 'subscription_first' : 'one_off',
      ...(subscription && subscriptionId ? { subscriptionId } : {}),
      ...(promoCode ? { promoCode, ...(email ? { email } : {}) } : {}),
      metadata: { stripeEvent: event.id, checkoutSession: session.id },
    },
  };
}

async function invoicePaid(event: Stripe.Event, invoice: Stripe.Invoice, options: StripeMappingOptions): Promise<StripeMapping> {
  if (invoice.amount_paid <= 0) return ignore('nothing was paid (a trial, or paid by credit)');
  const details = invoice.parent?.subscription_details;
  const subscriptionId = idOf(details?.subscription) ?? idOf(obj(invoice).subscription);
  const refereeId =
    metadataUser(options, invoice.metadata) ?? metadataUser(options, details?.metadata ?? null) ?? (await lookup(options, invoice, invoice.customer, event));
  if (!refereeId) return unknownCustomer(invoice.id ?? '', invoice.customer);
  const billing = !subscriptionId ? 'one_off' : invoice.billing_reason === 'subscription_create' ? 'subscription_first' : 'subscription_renewal';
  const promoCode = await promoCodeOf(
    (invoice.discounts ?? []).map((d) => (typeof d === 'string' ? null : 'promotion_code' in d ? d.promotion_code : null)),
    options,
  );
  const email = str(invoice.customer_email);
  return {
    action: 'apply',
    event: {
      type: 'payment_succeeded',
      paymentId: String(invoice.id),
      refereeId,
      amount: fromStripeAmount(invoice.amount_paid, invoice.currency),
      currency: invoice.currency.toUpperCase(),
      occurredAt: at(invoice.status_transitions?.paid_at ?? event.created),
      billing,
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(promoCode ? { promoCode, ...(email ? { email } : {}) } : {}),
      metadata: { stripeEvent: event.id, invoice: String(invoice.id) },
    },
  };
}

function metadataUser(options: StripeMappingOptions, metadata: Stripe.Metadata | null | undefined): string | undefined {
  return str(metadata?.[options.metadataKey ?? 'onehopUserId']);
}

async function lookup(
  options: StripeMappingOptions,
  object: Stripe.Checkout.Session | Stripe.Invoice,
  customer: unknown,
  event: Stripe.Event,
): Promise<string | undefined> {
  if (!options.lookupReferee) return undefined;
  return str(await options.lookupReferee({ customerId: idOf(customer) ?? null, object, event }));
}

function unknownCustomer(objectId: string, customer: unknown): StripeMapping {
  const who = idOf(customer) ? `customer ${idOf(customer)}` : 'a guest customer';
  return {
    action: 'unmapped',
    reason: 'UNKNOWN_CUSTOMER',
    message: `No user id for ${objectId} (${who}): no client_reference_id, no metadata user id, and lookupReferee found none. Nothing is recorded.`,
  };
}

/**
 * The payment a charge or dispute belongs to: the invoice its PaymentIntent
 * paid (`findInvoice`, else asked of Stripe when a client is given), else the
 * PaymentIntent, else the charge itself.
 */
async function paymentOf(paymentIntent: unknown, chargeId: string | undefined, options: StripeMappingOptions): Promise<string> {
  const pi = idOf(paymentIntent);
  const own = pi && options.findInvoice ? await options.findInvoice(pi) : null;
  if (own) return own;
  if (pi && options.stripe) {
    const { stripe } = options;
    const paid = await callStripe(`list the invoice payments of ${pi}`, () =>
      stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: pi }, limit: 1 }),
    );
    const invoice = idOf(paid.data[0]?.invoice);
    if (invoice) return invoice;
  }
  return pi ?? chargeId ?? '';
}
