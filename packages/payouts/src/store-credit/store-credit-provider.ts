import * as z from 'zod';
import type { PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from '../contract';
import { methodOf, parseOptions } from '../send-request';

export interface StoreCreditProviderOptions {
  /** The reference a payout gets (default `store-credit:<idempotency key>`), e.g. the id of the credit note your application will write. */
  reference?: (request: PayoutSendRequest) => string;
}

const optionsSchema = z
  .object({ reference: z.custom<(request: PayoutSendRequest) => string>((value) => typeof value === 'function', 'must be a function').optional() })
  .strict();

/**
 * Pays `store_credit` payouts, where no money leaves: the application credits
 * the payee's account in its own product. `send` only answers `processing`
 * with a reference. The application learns of the payout from the engine's
 * outbox event, applies the credit in its own database (keyed by the payout
 * id, so a redelivered event credits once), and then settles the payout as
 * paid through the engine, which is when it counts as paid.
 */
export function createStoreCreditProvider(options: StoreCreditProviderOptions = {}): PayoutProvider {
  const config = parseOptions(optionsSchema, options, 'options');
  const name = 'store-credit';
  return {
    name,
    methodType: 'store_credit',
    async send(request: PayoutSendRequest): Promise<PayoutSendOutcome> {
      const found = methodOf(name, 'store_credit', request);
      if ('refused' in found) return found.refused;
      const reference = config.reference?.(request) ?? `store-credit:${request.idempotencyKey}`;
      return { status: 'processing', externalReference: reference };
    },
  };
}
