/*
 * The input schemas and types of purchases, refunds and chargebacks.
 */
import * as z from 'zod';
import { codeInputSchema, emailSchema, eventIdSchema, positiveAmountSchema, userIdSchema } from '../engine/fields';
import { currencyCodeSchema } from '../money/currency';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const jsonSchema: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonSchema), z.record(z.string(), jsonSchema)]));

export const recordPurchaseInputSchema = z
  .object({
    /** Your payment provider's id of the payment; a redelivery with the same id changes nothing. */
    eventId: eventIdSchema,
    refereeId: userIdSchema,
    amount: positiveAmountSchema,
    /** ISO 4217 code; another than the program's is converted by the exchange rate provider, or refused (`CurrencyMismatchError`) without one. */
    currency: currencyCodeSchema,
    occurredAt: z.coerce.date({ error: 'must be a date' }),
    productId: z.string().min(1).max(255).optional(),
    metadata: z.record(z.string(), jsonSchema).optional(),
    /**
     * Your payment provider's fingerprint of the card or account used (e.g.
     * Stripe's `card.fingerprint`). Stored only as a keyed hash; a match with
     * the referrer's is a self-referral.
     */
    paymentFingerprint: z.string().trim().min(1).max(255).optional(),
    /** The subscription this payment is for; once it is cancelled (`recordCancellation`), its later payments earn nothing. */
    subscriptionId: eventIdSchema.optional(),
    /**
     * The referral code the customer typed at checkout, as typed (any case,
     * spaces or hyphens). When the buyer has no referral yet, the purchase
     * first attributes them to the code's owner, by the rules of `attribute`.
     */
    promoCode: codeInputSchema.optional(),
    /**
     * The buyer's e-mail address. Used only with `promoCode`: compared with the
     * code owner's (a redemption by the referrer is refused) and kept in normal
     * form on the referral the code makes.
     */
    email: emailSchema.optional(),
    /** Your plan id (a subscription's price or plan), matched by reward conditions of type `plan`. */
    planId: z.string().min(1).max(255).optional(),
  })
  .strict();
/** A payment by a referee, as `recordPurchase` takes it. */
export interface RecordPurchaseInput {
  /** Your payment provider's id of the payment; a redelivery with the same id changes nothing. */
  eventId: string;
  /** Your user id of the buyer (the referee). */
  refereeId: string;
  /** What was paid, a positive integer in minor units (cents), never a decimal. */
  amount: number;
  /**
   * ISO 4217 code of `amount`. A currency other than the program's is
   * converted with the rate of the exchange rate provider
   * (`createOnehop({ exchangeRates })`), asked before anything is recorded;
   * without a provider it throws `CurrencyMismatchError`.
   */
  currency: string;
  /** When the payment happened: a `Date`, an ISO 8601 string or epoch milliseconds. */
  occurredAt: unknown;
  /** Your product id, matched by product overrides, promotions and reward conditions. */
  productId?: string | undefined;
  /** Your own JSON data kept with the purchase event; reward conditions of type `metadata` test its top-level values. */
  metadata?: Record<string, unknown> | undefined;
  /**
   * Your payment provider's fingerprint of the card or account used (e.g.
   * Stripe's `card.fingerprint`). Stored only as a keyed hash; a match with
   * the referrer's is a self-referral.
   */
  paymentFingerprint?: string | undefined;
  /** The subscription this payment is for; once it is cancelled (`recordCancellation`), its later payments earn nothing. */
  subscriptionId?: string | undefined;
  /**
   * The referral code the customer typed at checkout (a promo code), as typed:
   * any case, spaces or hyphens. When the buyer has no referral yet, the
   * purchase first attributes them to the code's owner, by the rules of
   * `attribute` (unknown code, suspended owner, self-referral, fraud rules),
   * in the same transaction; a buyer already referred keeps their referral.
   */
  promoCode?: string | undefined;
  /**
   * The buyer's e-mail address (e.g. the checkout's customer e-mail). Used
   * only with `promoCode`: compared with the code owner's, so a referrer
   * redeeming their own code is refused, and kept in normal form on the
   * referral the code makes.
   */
  email?: string | undefined;
  /** Your plan id (a subscription's price or plan), matched by reward conditions of type `plan`. */
  planId?: string | undefined;
}

export const recordReversalInputSchema = z
  .object({
    /** Id of the refund or dispute; a redelivery changes nothing. */
    eventId: eventIdSchema,
    /** The purchase it reverses. */
    purchaseEventId: eventIdSchema,
    /** How much of the purchase is refunded or charged back, minor units. */
    amount: positiveAmountSchema.optional(),
    /**
     * Instead of `amount`, for refunds: the purchase's refunded total after
     * this refund, as payment providers that report a running total send it
     * (Stripe's `amount_refunded`). What the refunds recorded before do not
     * cover is reversed; a total already covered reverses nothing.
     */
    refundedTotal: positiveAmountSchema.optional(),
    occurredAt: z.coerce.date({ error: 'must be a date' }).optional(),
    /** ISO 4217 code of `amount`: the purchase's currency (the default); another is refused. */
    currency: currencyCodeSchema.optional(),
    /**
     * When the purchase is not recorded (yet): `false` (default) ignores the
     * reversal (`UNKNOWN_PURCHASE`); `true` keeps it, answered `pending`, and
     * applies it when the purchase is recorded — for payment providers that
     * may deliver a refund before its payment.
     */
    waitForPurchase: z.boolean().optional(),
  })
  .strict()
  .refine((v) => (v.amount === undefined) !== (v.refundedTotal === undefined), {
    message: 'give either amount or refundedTotal',
    path: ['amount'],
  });
/** A refund or a chargeback of a recorded purchase, as `recordRefund` and `recordChargeback` take it. */
export interface RecordReversalInput {
  /** Id of the refund or dispute; a redelivery changes nothing. */
  eventId: string;
  /** The purchase it reverses. */
  purchaseEventId: string;
  /** How much of the purchase is refunded or charged back, a positive integer in minor units. */
  amount?: number | undefined;
  /**
   * Instead of `amount`, for refunds: the purchase's refunded total after
   * this refund, as payment providers that report a running total send it
   * (Stripe's `amount_refunded`). What the refunds recorded before do not
   * cover is reversed; a total already covered reverses nothing.
   */
  refundedTotal?: number | undefined;
  /** When it happened (a `Date`, an ISO 8601 string or epoch milliseconds); defaults to now. */
  occurredAt?: unknown;
  /**
   * ISO 4217 code of `amount` (and `refundedTotal`): always the purchase's
   * currency, which is the default. A refund of a purchase in a foreign
   * currency is converted at the purchase's rate, so refunding all of it
   * reverses its lines exactly; another currency throws a `ValidationError`.
   */
  currency?: string | undefined;
  /**
   * When the purchase is not recorded (yet): `false` (default) ignores the
   * reversal (`UNKNOWN_PURCHASE`); `true` keeps it, answered `pending`, and
   * applies it when the purchase is recorded — for payment providers that
   * may deliver a refund before its payment.
   */
  waitForPurchase?: boolean | undefined;
}

export const reinstateChargebackInputSchema = z
  .object({
    /** The chargeback (dispute) the referrer won; a repeat changes nothing. */
    chargebackEventId: eventIdSchema,
    occurredAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
/** A dispute decided in the merchant's favour, as `reinstateChargeback` takes it. */
export interface ReinstateChargebackInput {
  /** The chargeback (dispute) the merchant won; a repeat changes nothing. */
  chargebackEventId: string;
  /** When it was decided (a `Date`, an ISO 8601 string or epoch milliseconds); defaults to now. */
  occurredAt?: unknown;
}

export const recordCancellationInputSchema = z
  .object({
    /** The subscription cancelled, as `recordPurchase`'s `subscriptionId` names it; a repeat changes nothing. */
    subscriptionId: eventIdSchema,
    /** The payment of the period the cancellation ends (its purchase event id), for `subscriptions.onCancel`. */
    currentPaymentEventId: eventIdSchema.optional(),
    occurredAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
/** A subscription's cancellation, as `recordCancellation` takes it. */
export interface RecordCancellationInput {
  /** The subscription cancelled, as `recordPurchase`'s `subscriptionId` names it; a repeat changes nothing. */
  subscriptionId: string;
  /** The payment of the period the cancellation ends (its purchase event id), for `subscriptions.onCancel`. */
  currentPaymentEventId?: string | undefined;
  /** When the subscription ends (a `Date`, an ISO 8601 string or epoch milliseconds); defaults to now. Its payments after this earn nothing. */
  occurredAt?: unknown;
}
