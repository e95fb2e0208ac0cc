import { ValidationError } from '../errors/errors';
import type { PayoutMethod, PayoutRecord } from '../store/records';
import { payoutMethodSchema } from './inputs';

/**
 * Sends payouts of one payout method type through a payment provider
 * (Stripe Connect, PayPal, a bank file, store credit). `sendPayouts` calls it
 * after recording the attempt and its idempotency key, so a crash between
 * sending and recording cannot pay twice: the next attempt sends the same
 * key again, and the provider answers it without paying again.
 */
export interface PayoutProvider {
  readonly name: string;
  /** The payout method type this provider pays (one provider per type). */
  readonly methodType: PayoutMethod['type'];
  /** Sends one payout. Throwing = outcome unknown (the payout stays processing; the next attempt reuses the key). */
  send(request: PayoutSendRequest): Promise<PayoutSendOutcome>;
  /** Optional: sends all payouts of a run for this method at once (bank files). When present, the worker calls it instead of send. */
  sendBatch?(requests: readonly PayoutSendRequest[], batch: { batchId: string }): Promise<readonly PayoutSendOutcome[]>;
}

/** One payout to send: the payout, the method to pay it to, and the key the provider deduplicates on. */
export interface PayoutSendRequest {
  payout: PayoutRecord;
  method: PayoutMethod;
  /** The same for every send of one attempt (`<payoutId>:<attempt>`); pass it to the provider's idempotency mechanism. */
  idempotencyKey: string;
  attempt: number;
}

/**
 * What the provider answered: `paid` (the money left), `processing` (accepted;
 * a webhook or the admin settles it later with `settlePayout`), or `failed`
 * (nothing was paid; the amount is withdrawable again). A failure's `reason`
 * is kept on the payout, so make it a code or a short text without personal data.
 */
export type PayoutSendOutcome =
  | { status: 'paid'; externalReference: string }
  | { status: 'processing'; externalReference: string }
  | { status: 'failed'; reason: string; retryable: boolean };

/** The method types a payout can have. */
const METHOD_TYPES: readonly string[] = payoutMethodSchema.options.map((option) => option.shape.type.value);

/** The providers by method type; a ValidationError naming `payoutProviders` when one is malformed or two pay one type. */
export function providersByMethod(providers: readonly PayoutProvider[] = []): ReadonlyMap<string, PayoutProvider> {
  const byType = new Map<string, PayoutProvider>();
  const hint = 'Pass at most one provider per payout method type, each with a name, a methodType and a send function.';
  providers.forEach((provider, i) => {
    const field = `payoutProviders.${i}`;
    if (typeof provider?.send !== 'function' || typeof provider.name !== 'string' || provider.name === '') {
      throw new ValidationError([{ field, message: 'must have a name and a send function' }], { hint });
    }
    if (!METHOD_TYPES.includes(provider.methodType)) {
      throw new ValidationError([{ field: `${field}.methodType`, message: `must be one of ${METHOD_TYPES.join(', ')}` }], { hint });
    }
    if (byType.has(provider.methodType)) {
      throw new ValidationError([{ field: `${field}.methodType`, message: `a provider for ${provider.methodType} is given twice` }], { hint });
    }
    byType.set(provider.methodType, provider);
  });
  return byType;
}
