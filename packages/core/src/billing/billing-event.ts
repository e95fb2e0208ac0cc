import * as z from 'zod';
import { eventIdSchema, positiveAmountSchema } from '../engine/fields';
import { currencyCodeSchema } from '../money/currency';
import { jsonSchema } from '../purchases/inputs';

/*
 * The provider-neutral billing event: what a payment provider's webhook
 * means for onehop, whatever the provider. A mapping for a provider (Stripe,
 * Paddle, Lemon Squeezy, Chargebee…) turns each of its webhook events into
 * one of these (or none), and `applyBillingEvent` makes the engine calls.
 * Every id is the provider's, so a redelivered webhook maps to the same
 * event and changes nothing.
 */

const id = eventIdSchema;
const amount = positiveAmountSchema;
const date = z.coerce.date({ error: 'must be a date' });
const json = jsonSchema;

/** A payment went through: a one-off purchase, a subscription's first payment, or a renewal. */
export const paymentSucceededSchema = z
  .object({
    type: z.literal('payment_succeeded'),
    /** The provider's id of the payment (a Stripe PaymentIntent, a Paddle transaction): refunds and disputes name it. */
    paymentId: id,
    /** Your user id of the buyer (the referee). */
    refereeId: id,
    /** What was paid, in minor units. */
    amount,
    currency: currencyCodeSchema,
    occurredAt: date,
    /** `one_off`, `subscription_first` or `subscription_renewal`; the two subscription kinds name their `subscriptionId`. */
    billing: z.enum(['one_off', 'subscription_first', 'subscription_renewal']),
    subscriptionId: id.optional(),
    productId: z.string().min(1).max(255).optional(),
    /** The code the customer typed at checkout (a referrer's code as a promotion code). */
    promoCode: z.string().trim().min(1).max(255).optional(),
    /** The buyer's e-mail address, used only with `promoCode` (a referrer redeeming their own code is refused). */
    email: z.email({ error: 'must be an email address' }).max(320).optional(),
    /** The provider's fingerprint of the card or account (stored only as a keyed hash). */
    paymentFingerprint: z.string().trim().min(1).max(255).optional(),
    metadata: z.record(z.string(), json).optional(),
  })
  .strict()
  .refine((e) => e.billing === 'one_off' || e.subscriptionId !== undefined, { message: 'a subscription payment needs its subscriptionId', path: ['subscriptionId'] });

/** Money went back to the customer: an amount, or the payment's refunded total so far (for providers that report a running total). */
export const refundSchema = z
  .object({
    type: z.literal('refund'),
    /** The provider's id of this refund: each refund is counted once. */
    refundId: id,
    paymentId: id,
    amount: amount.optional(),
    /** The payment's refunded total after this refund (e.g. Stripe's `amount_refunded`), instead of `amount`. */
    refundedTotal: amount.optional(),
    occurredAt: date.optional(),
  })
  .strict()
  .refine((e) => (e.amount === undefined) !== (e.refundedTotal === undefined), { message: 'give either amount or refundedTotal', path: ['amount'] });

/** The customer's bank disputed the payment: its commissions are reversed like a refund until the dispute is decided. */
export const disputeOpenedSchema = z.object({ type: z.literal('dispute_opened'), disputeId: id, paymentId: id, amount, occurredAt: date.optional() }).strict();

/** A dispute was decided: `lost` is final (what it reversed stays reversed), `won` gives back what it reversed. */
export const disputeClosedSchema = z
  .object({ type: z.literal('dispute_closed'), disputeId: id, paymentId: id, amount, outcome: z.enum(['won', 'lost']), occurredAt: date.optional() })
  .strict();

/**
 * A subscription ends: at once, or at the end of its period (`endsAt`).
 * Its payments after `endsAt` earn nothing; what happens to the period it
 * ends is the program's `subscriptions.onCancel`.
 */
export const subscriptionCancelledSchema = z
  .object({
    type: z.literal('subscription_cancelled'),
    subscriptionId: id,
    /** When the subscription ends (now, or the end of the paid period). */
    endsAt: date,
    /** The payment of the period it ends, when the provider says which. */
    currentPaymentId: id.optional(),
  })
  .strict();

/** One provider-neutral billing event; `type` says which. */
export const billingEventSchema = z.discriminatedUnion('type', [
  paymentSucceededSchema,
  refundSchema,
  disputeOpenedSchema,
  disputeClosedSchema,
  subscriptionCancelledSchema,
]);

/** A provider-neutral billing event, as `applyBillingEvent` takes it (dates may be `Date`s, ISO strings or epoch milliseconds). */
export type BillingEvent = z.input<typeof billingEventSchema>;
