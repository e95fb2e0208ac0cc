/**
 * Stripe for onehop: verified webhook events become purchases, refunds,
 * chargebacks, won disputes and cancellations (through core's
 * provider-neutral billing events), and referral codes become Stripe
 * promotion codes.
 *
 * ```ts
 * const handler = createStripeWebhookHandler({ onehop, stripe, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET! });
 * app.post('/webhooks/stripe', (c) => handler(c.req.raw));
 * ```
 *
 * @module
 */
export { handleStripeEvent, type StripeEventResult } from './handle-stripe-event';
export { mapStripeEvent, type StripeMapping } from './map-stripe-event';
export type { RefereeLookup, StripeMappingOptions } from './options';
export { type SyncPromotionCodeInput, type SyncPromotionCodeResult, syncPromotionCode } from './sync-promotion-code';
export { createStripeWebhookHandler, type StripeWebhookOptions } from './webhook-handler';
