/*
 * The input schemas and types of purchases, refunds and chargebacks.
 */
import { z } from 'zod';
import { eventIdSchema, positiveAmountSchema, userIdSchema } from '../engine/fields';
import { currencyCodeSchema } from '../money/currency';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const jsonSchema: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonSchema), z.record(z.string(), jsonSchema)]));

export const recordPurchaseInputSchema = z
  .object({
    /** Your payment provider's id of the payment; a redelivery with the same id changes nothing. */
    eventId: eventIdSchema,
    refereeId: userIdSchema,
    amount: positiveAmountSchema,
    /** ISO 4217 code; a purchase in a currency other than the program's throws `CurrencyMismatchError`. */
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
  /** ISO 4217 code; a purchase in a currency other than the program's throws `CurrencyMismatchError`. */
  currency: string;
  /** When the payment happened: a `Date`, an ISO 8601 string or epoch milliseconds. */
  occurredAt: unknown;
  /** Your product id, matched by product overrides and promotions. */
  productId?: string | undefined;
  /** Your own JSON data kept with the purchase event. */
  metadata?: Record<string, unknown> | undefined;
  /**
   * Your payment provider's fingerprint of the card or account used (e.g.
   * Stripe's `card.fingerprint`). Stored only as a keyed hash; a match with
   * the referrer's is a self-referral.
   */
  paymentFingerprint?: string | undefined;
}

export const recordReversalInputSchema = z
  .object({
    /** Id of the refund or dispute; a redelivery changes nothing. */
    eventId: eventIdSchema,
    /** The purchase it reverses. */
    purchaseEventId: eventIdSchema,
    /** How much of the purchase is refunded or charged back, minor units. */
    amount: positiveAmountSchema,
    occurredAt: z.coerce.date({ error: 'must be a date' }).optional(),
  })
  .strict();
/** A refund or a chargeback of a recorded purchase, as `recordRefund` and `recordChargeback` take it. */
export interface RecordReversalInput {
  /** Id of the refund or dispute; a redelivery changes nothing. */
  eventId: string;
  /** The purchase it reverses. */
  purchaseEventId: string;
  /** How much of the purchase is refunded or charged back, a positive integer in minor units. */
  amount: number;
  /** When it happened (a `Date`, an ISO 8601 string or epoch milliseconds); defaults to now. */
  occurredAt?: unknown;
}
