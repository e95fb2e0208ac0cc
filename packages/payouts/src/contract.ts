/**
 * The payout provider contract, as declared in `@onehop/core`'s payouts
 * (`PayoutProvider`, `PayoutSendRequest`, `PayoutSendOutcome`, and the
 * `stripe_connect` payout method). This file mirrors core's declarations
 * until that version of core is released; then it re-exports them from
 * `@onehop/core` and nothing else in this package changes.
 */
import type { PayoutMethod as CorePayoutMethod, PayoutRecord } from '@onehop/core';

/** How a user wants to be paid: core's payout methods and a Stripe Connect account. */
export type PayoutMethod = CorePayoutMethod | { type: 'stripe_connect'; accountId: string };

/** Where the engine sends payouts: one provider per payout method type. */
export interface PayoutProvider {
  readonly name: string;
  /** The payout method type this provider pays (one provider per type). */
  readonly methodType: PayoutMethod['type'];
  /** Sends one payout. Throwing = outcome unknown (the payout stays processing; the next attempt reuses the key). */
  send(request: PayoutSendRequest): Promise<PayoutSendOutcome>;
  /** Optional: sends all payouts of a run for this method at once (bank files). */
  sendBatch?(requests: readonly PayoutSendRequest[], batch: { batchId: string }): Promise<readonly PayoutSendOutcome[]>;
}

/** One payout to send: the payout, the method it is paid with, the idempotency key of this attempt, and the attempt's number (1 first). */
export interface PayoutSendRequest {
  payout: PayoutRecord;
  method: PayoutMethod;
  idempotencyKey: string;
  attempt: number;
}

/**
 * What the provider answered: the money arrived (`paid`), the provider took
 * the payout and settles it later (`processing`, settled through the engine
 * when the provider or the admin confirms), or it refused (`failed`, with
 * whether sending it again may succeed).
 */
export type PayoutSendOutcome =
  | { status: 'paid'; externalReference: string }
  | { status: 'processing'; externalReference: string }
  | { status: 'failed'; reason: string; retryable: boolean };
