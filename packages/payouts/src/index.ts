/**
 * Payout providers for onehop. Each provider is its own entry point, so an
 * application loads only the one it uses:
 *
 * - `@onehop/payouts/stripe-connect`: Stripe Connect transfers (`stripe_connect` methods);
 * - `@onehop/payouts/paypal`: PayPal Payouts (`paypal` methods);
 * - `@onehop/payouts/sepa`: SEPA credit transfer files, pain.001.001.03 (`bank_transfer` methods);
 * - `@onehop/payouts/store-credit`: store credit the application applies (`store_credit` methods).
 *
 * This entry holds the contract they implement, `PayoutProvider`.
 *
 * @module
 */
export type { PayoutMethod, PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from './contract';
