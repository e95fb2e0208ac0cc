import { PayoutOutcomeUnknownError, type PayoutRecord } from '@onehop/core';
import { expect } from 'vitest';
import type { PayoutMethod, PayoutSendRequest } from '../src/contract';

/** A send request as the engine builds it: an approved payout of `amount` minor units, paid with `method`. */
export function sendRequest(input: { payoutId: string; amount: number; method: PayoutMethod; idempotencyKey?: string; attempt?: number }): PayoutSendRequest {
  const at = new Date('2026-12-01T09:00:00Z');
  const payout: PayoutRecord = {
    programId: 'main',
    mode: 'mock',
    id: input.payoutId,
    userId: `user_${input.payoutId}`,
    amount: input.amount,
    status: 'approved',
    method: input.method,
    statusReason: null,
    externalReference: null,
    requestedAt: at,
    decidedAt: at,
    decidedBy: 'admin',
    paidAt: null,
    updatedAt: at,
    runId: null,
    attempts: (input.attempt ?? 1) - 1,
    idempotencyKey: input.idempotencyKey ?? `${input.payoutId}:1`,
    batchId: null,
    leaseUntil: null,
  };
  return { payout, method: input.method, idempotencyKey: input.idempotencyKey ?? `${input.payoutId}:1`, attempt: input.attempt ?? 1 };
}

/** The error a call threw, checked to be an unknown outcome (a resolved call fails the test). */
export async function unknownOutcome(promise: Promise<unknown>): Promise<PayoutOutcomeUnknownError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PayoutOutcomeUnknownError);
  return error as PayoutOutcomeUnknownError;
}
