import { BillingProviderError } from '@onehop/core';

/** Stripe's error types that may succeed when asked again. */
const RETRYABLE = new Set(['StripeConnectionError', 'StripeAPIError', 'StripeRateLimitError', 'StripeLockTimeoutError']);

/** Runs one Stripe API call; its failure leaves as a `BillingProviderError` naming the action, the Stripe error as `cause`. */
export async function callStripe<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    const status = (error as { statusCode?: unknown }).statusCode;
    const retryable = (typeof type === 'string' && RETRYABLE.has(type)) || (typeof status === 'number' && (status >= 500 || status === 429));
    throw new BillingProviderError('Stripe', action, { retryable, cause: error });
  }
}

/** Whether a Stripe error says the object asked for does not exist. */
export function isMissing(error: unknown): boolean {
  const cause = error instanceof BillingProviderError ? (error.cause as { code?: unknown; statusCode?: unknown }) : null;
  return cause?.code === 'resource_missing' || cause?.statusCode === 404;
}
