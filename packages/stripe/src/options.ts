import type Stripe from 'stripe';

/** What `lookupReferee` is asked: the Stripe customer, and the object and event being mapped. */
export interface RefereeLookup {
  /** The Stripe customer id on the object, when it names one. */
  customerId: string | null;
  /** The Checkout Session or Invoice being mapped. */
  object: Stripe.Checkout.Session | Stripe.Invoice;
  event: Stripe.Event;
}

/**
 * How Stripe objects are tied to onehop. The referee of a payment is, first
 * match wins:
 *
 * 1. a Checkout Session's `client_reference_id`;
 * 2. `metadata[metadataKey]` of the session or invoice, then of the
 *    subscription the invoice bills (`parent.subscription_details.metadata`,
 *    which Stripe copies from the subscription's metadata);
 * 3. `lookupReferee`, your own lookup (e.g. from the Stripe customer id).
 *
 * A payment none of them resolves is answered `unmapped` with reason
 * `UNKNOWN_CUSTOMER`, and nothing is written.
 */
export interface StripeMappingOptions {
  /** The metadata key that holds your user id. Default `onehopUserId`. */
  metadataKey?: string;
  /** Your lookup of a user id, when neither `client_reference_id` nor metadata holds it. Return null when you do not know the customer. */
  lookupReferee?: (lookup: RefereeLookup) => Promise<string | null> | string | null;
  /**
   * A Stripe client with an API key. Used, when given, for what an event
   * does not carry: the code of a promotion code the session names by id,
   * and which invoice a refunded or disputed PaymentIntent paid (so refunds
   * and disputes of subscription payments find their invoice). Without it,
   * refunds and disputes are matched by PaymentIntent (one-off payments) and
   * promotion codes only when Stripe sent them expanded.
   */
  stripe?: Stripe;
  /**
   * Your own answer to which invoice a PaymentIntent paid (null: none), for
   * refunds and disputes of subscription payments. Asked before the Stripe
   * client; use it when you keep that link yourself or run without an API key.
   */
  findInvoice?: (paymentIntentId: string) => Promise<string | null> | string | null;
}
