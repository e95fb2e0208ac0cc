/**
 * PayPal Payouts for onehop: `createPayPalProvider({ clientId, clientSecret, currency })`
 * pays `paypal` payout methods through PayPal's REST API with `fetch`.
 *
 * @module
 */
export type { PayPalPayoutProvider, PayPalProviderOptions } from './paypal-provider';
export { createPayPalProvider, PAYPAL_LIVE_URL } from './paypal-provider';
