import { applyBillingEvent, type BillingEngine, type BillingEvent, type BillingOutcome } from '@onehop/core';
import type { EventEntity } from '@paddle/paddle-node-sdk';
import { mapPaddleEvent, type PaddleMappingOptions } from './map-paddle-event';

/** What `handlePaddleEvent` did: `handled` (onehop's answer in `outcome`), `ignored` (with the reason) or `unmapped` (unknown customer: nothing written). */
export type PaddleEventResult =
  | { status: 'handled'; paddleEventId: string; paddleEventType: string; billingEvent: BillingEvent; outcome: BillingOutcome }
  | { status: 'ignored'; paddleEventId: string; paddleEventType: string; reason: string }
  | { status: 'unmapped'; paddleEventId: string; paddleEventType: string; reason: 'UNKNOWN_CUSTOMER'; message: string };

/** Applies one verified Paddle event to onehop (`mapPaddleEvent`, then `applyBillingEvent`). Idempotent by Paddle's ids. */
export async function handlePaddleEvent(onehop: BillingEngine, event: EventEntity, options: PaddleMappingOptions = {}): Promise<PaddleEventResult> {
  const base = { paddleEventId: event.eventId, paddleEventType: event.eventType };
  const mapping = await mapPaddleEvent(event, options);
  if (mapping.action === 'ignore') return { status: 'ignored', ...base, reason: mapping.reason };
  if (mapping.action === 'unmapped') return { status: 'unmapped', ...base, reason: mapping.reason, message: mapping.message };
  return { status: 'handled', ...base, billingEvent: mapping.event, outcome: await applyBillingEvent(onehop, mapping.event) };
}
