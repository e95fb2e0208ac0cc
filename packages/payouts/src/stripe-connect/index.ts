/**
 * Stripe Connect transfers for onehop payouts: `createStripeConnectProvider({ stripe, currency })`
 * pays `stripe_connect` payout methods from the platform's Stripe balance.
 *
 * @module
 */
export type { StripeConnectProviderOptions } from './stripe-connect-provider';
export { createStripeConnectProvider } from './stripe-connect-provider';
