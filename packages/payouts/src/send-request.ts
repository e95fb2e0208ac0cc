import { ValidationError } from '@onehop/core';
import * as z from 'zod';
import type { PayoutMethod, PayoutSendOutcome, PayoutSendRequest } from './contract';

/** The parts of a send request every adapter relies on; the rest of the payout record passes through. */
const sendRequestSchema = z.object({
  payout: z.looseObject({
    id: z.string().min(1).max(64),
    programId: z.string().min(1),
    userId: z.string().min(1),
    amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  }),
  method: z.looseObject({ type: z.string().min(1) }),
  idempotencyKey: z.string().min(1).max(255),
  attempt: z.number().int().positive(),
});

/** Checks a request's shape (the engine builds it; a malformed one is a bug), throwing a `ValidationError` before anything is sent. */
function checkSendRequest(request: PayoutSendRequest, field = 'request'): void {
  const result = sendRequestSchema.safeParse(request);
  if (!result.success) throw ValidationError.fromZod(result.error, field, { hint: 'The payout was not sent: pass the request the engine builds.' });
}

/** Checks an adapter's options, throwing a `ValidationError` that names the field. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown, root: string): z.output<S> {
  const result = schema.safeParse(options);
  if (!result.success) throw ValidationError.fromZod(result.error, root, { hint: 'Fix the named option(s) and create the provider again.' });
  return result.data;
}

/**
 * The method of a request, when it is the type this provider pays; otherwise a
 * permanent failure (an erased method has no details left to pay to). A
 * malformed request throws a `ValidationError` first.
 */
export function methodOf<T extends PayoutMethod['type']>(
  provider: string,
  type: T,
  request: PayoutSendRequest,
): { method: Extract<PayoutMethod, { type: T }> } | { refused: PayoutSendOutcome } {
  checkSendRequest(request);
  const method = request.method as PayoutMethod | { type: 'erased' };
  if (method.type === type) return { method: method as Extract<PayoutMethod, { type: T }> };
  const what = method.type === 'erased' ? "the payee's payout details were erased" : `its payout method is ${method.type}`;
  return { refused: { status: 'failed', reason: `The ${provider} provider pays ${type} payouts only; ${what}.`, retryable: false } };
}
