import type { PayoutMethod, PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from '@onehop/core';

/** How the provider answers one request: an outcome, `throw` (nothing happened, no answer), or `accept-then-throw` (paid, then the answer was lost). */
export type ScriptedAnswer = PayoutSendOutcome | 'throw' | 'accept-then-throw';

/**
 * A payment provider in memory that behaves like one with idempotency keys:
 * a key it accepted before is answered with the same outcome and pays
 * nothing again. `transfers` holds every payment it actually made, so a test
 * can check that nothing was paid twice. It stands in for a provider's API
 * in the conformance suite; the adapters are tested against their
 * providers' documented APIs in their own packages.
 */
export interface ScriptedProvider extends PayoutProvider {
  /** Every request received, retries included. */
  readonly requests: PayoutSendRequest[];
  /** The batches received (`sendBatch` providers). */
  readonly batches: { batchId: string; keys: string[] }[];
  /** Payments made: payout id and key, once per accepted key. */
  readonly transfers: { payoutId: string; idempotencyKey: string; amount: number }[];
}

export function scriptedProvider(
  methodType: PayoutMethod['type'],
  answer: (request: PayoutSendRequest, call: number) => ScriptedAnswer,
  options: { batch?: boolean } = {},
): ScriptedProvider {
  const requests: PayoutSendRequest[] = [];
  const batches: { batchId: string; keys: string[] }[] = [];
  const transfers: ScriptedProvider['transfers'] = [];
  const accepted = new Map<string, PayoutSendOutcome>();
  let calls = 0;
  const sendOne = (request: PayoutSendRequest): PayoutSendOutcome => {
    requests.push(request);
    const known = accepted.get(request.idempotencyKey);
    if (known) return known;
    const scripted = answer(request, ++calls);
    if (scripted === 'throw') throw new Error('provider unreachable');
    const outcome: PayoutSendOutcome = scripted === 'accept-then-throw' ? { status: 'paid', externalReference: `tr_${request.idempotencyKey}` } : scripted;
    if (outcome.status !== 'failed') {
      accepted.set(request.idempotencyKey, outcome);
      transfers.push({ payoutId: request.payout.id, idempotencyKey: request.idempotencyKey, amount: request.payout.amount });
    }
    if (scripted === 'accept-then-throw') throw new Error('connection reset after the provider accepted');
    return outcome;
  };
  const provider: ScriptedProvider = {
    name: `scripted-${methodType}`,
    methodType,
    requests,
    batches,
    transfers,
    send: async (request) => sendOne(request),
  };
  if (options.batch) {
    provider.sendBatch = async (list, { batchId }) => {
      batches.push({ batchId, keys: list.map((r) => r.idempotencyKey) });
      return list.map(sendOne);
    };
  }
  return provider;
}
