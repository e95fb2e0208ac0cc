/**
 * Paddle Billing for onehop: verified webhook events become purchases,
 * refunds, chargebacks and cancellations, through core's provider-neutral
 * billing events.
 *
 * ```ts
 * const handler = createPaddleWebhookHandler({ onehop, paddle: new Paddle(process.env.PADDLE_API_KEY!), webhookSecret: process.env.PADDLE_WEBHOOK_SECRET! });
 * app.post('/webhooks/paddle', (c) => handler(c.req.raw));
 * ```
 *
 * @module
 */
export { handlePaddleEvent, type PaddleEventResult } from './handle-paddle-event';
export { mapPaddleEvent, type PaddleMapping, type PaddleMappingOptions, type PaddleRefereeLookup } from './map-paddle-event';
export { createPaddleWebhookHandler, type PaddleWebhookOptions } from './webhook-handler';
