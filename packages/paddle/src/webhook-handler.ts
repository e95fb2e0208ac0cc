import { type BillingEngine, OnehopError } from '@onehop/core';
import type { EventEntity, Paddle } from '@paddle/paddle-node-sdk';
import { handlePaddleEvent, type PaddleEventResult } from './handle-paddle-event';
import type { PaddleMappingOptions } from './map-paddle-event';

export interface PaddleWebhookOptions extends PaddleMappingOptions {
  onehop: BillingEngine;
  /** A Paddle client (`new Paddle(apiKey)`, from the SDK's entry for your runtime): its `webhooks` verify signatures; no API call is made. */
  paddle: Paddle;
  /** The notification destination's secret key (`pdl_ntfset_…`). */
  webhookSecret: string;
  /** Called with every result, e.g. to log `unmapped` payments. */
  onResult?: (result: PaddleEventResult) => void | Promise<void>;
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A Fetch-standard webhook endpoint for Paddle Billing: the raw body is
 * verified against the `Paddle-Signature` header (`ts=…;h1=…`, an
 * HMAC-SHA256 of `ts:body`) by `@paddle/paddle-node-sdk`; a missing or bad
 * signature is answered 400 and nothing is written. A verified event goes to
 * `handlePaddleEvent` and its result is the 200 answer; an engine failure is
 * answered 500, so Paddle delivers again.
 */
export function createPaddleWebhookHandler(options: PaddleWebhookOptions): (request: Request) => Promise<Response> {
  const { onehop, paddle, webhookSecret, onResult, ...mapping } = options;
  return async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'method not allowed: Paddle posts webhooks' });
    const signature = request.headers.get('paddle-signature');
    if (!signature) return json(400, { error: 'missing Paddle-Signature header' });
    const body = await request.text();
    let event: EventEntity;
    try {
      event = await paddle.webhooks.unmarshal(body, webhookSecret, signature);
    } catch {
      return json(400, { error: 'invalid Paddle signature' });
    }
    try {
      const result = await handlePaddleEvent(onehop, event, mapping);
      await onResult?.(result);
      return json(200, result);
    } catch (error) {
      return json(500, { error: error instanceof OnehopError ? error.code : 'INTERNAL_ERROR', paddleEventId: event.eventId });
    }
  };
}
