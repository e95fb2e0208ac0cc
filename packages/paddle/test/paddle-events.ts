/**
 * Paddle Billing notifications for the tests, shaped as Paddle's API
 * reference documents them (the event envelope and the transaction,
 * adjustment and subscription entities, in the snake_case JSON Paddle
 * sends), typed with `@paddle/paddle-node-sdk`'s response types, and signed
 * with Paddle's documented scheme: `Paddle-Signature: ts=<unix seconds>;h1=<hex
 * HMAC-SHA256 of "<ts>:<raw body>" keyed with the destination's secret>`.
 */
import { createHmac } from 'node:crypto';
import type { IAdjustmentNotificationResponse, IEventsResponse, ISubscriptionNotificationResponse, ITransactionNotificationResponse } from '@paddle/paddle-node-sdk';

export const SECRET = 'pdl_ntfset_01onehoptests_secret';

let n = 0;
const id = (prefix: string) => `${prefix}_01h${(++n).toString().padStart(23, '0')}`;

export function paddleEvent<T extends object>(eventType: string, data: T, occurredAt: string): IEventsResponse<T> {
  return { event_id: id('evt'), notification_id: id('ntf'), event_type: eventType, occurred_at: occurredAt, data };
}

/** The `Paddle-Signature` header for a raw body. */
export function signature(body: string, secret = SECRET, ts = Math.floor(Date.now() / 1000)): string {
  return `ts=${ts};h1=${createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex')}`;
}

export function delivery(event: object, options: { secret?: string; header?: string | null } = {}): Request {
  const body = JSON.stringify(event);
  const header = options.header === undefined ? signature(body, options.secret) : options.header;
  return new Request('http://localhost/webhooks/paddle', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'paddle-signature': header }) },
    body,
  });
}

const totals = (total: number, currency: 'USD') => ({
  subtotal: String(total),
  discount: '0',
  tax: '0',
  total: String(total),
  credit: '0',
  credit_to_balance: '0',
  balance: '0',
  grand_total: String(total),
  grand_total_tax: '0',
  fee: '0',
  earnings: String(total),
  currency_code: currency,
});

/** A completed transaction. */
export function transaction(fields: {
  total: number;
  userId?: string;
  subscriptionId?: string;
  origin?: ITransactionNotificationResponse['origin'];
  billedAt: string;
  id?: string;
  /** ISO 4217 code; USD when left out. */
  currency?: string;
}) {
  const currency = fields.currency ?? 'USD';
  return {
    id: fields.id ?? id('txn'),
    status: 'completed',
    customer_id: id('ctm'),
    address_id: id('add'),
    business_id: null,
    custom_data: fields.userId ? { onehopUserId: fields.userId } : null,
    currency_code: currency as ITransactionNotificationResponse['currency_code'],
    origin: fields.origin ?? 'web',
    subscription_id: fields.subscriptionId ?? null,
    invoice_id: null,
    invoice_number: null,
    collection_mode: 'automatic',
    discount_id: null,
    billing_details: null,
    billing_period: null,
    items: [],
    details: { tax_rates_used: [], totals: totals(fields.total, currency as 'USD'), line_items: [] },
    payments: [],
    checkout: null,
    created_at: fields.billedAt,
    updated_at: fields.billedAt,
    billed_at: fields.billedAt,
  } satisfies ITransactionNotificationResponse;
}

/** An adjustment of a transaction: a refund, a chargeback or its reversal. */
export function adjustment(fields: {
  transactionId: string;
  action: IAdjustmentNotificationResponse['action'];
  total: number;
  status?: IAdjustmentNotificationResponse['status'];
  at: string;
}) {
  return {
    id: id('adj'),
    action: fields.action,
    type: 'partial',
    transaction_id: fields.transactionId,
    subscription_id: null,
    customer_id: id('ctm'),
    reason: 'requested by the customer',
    credit_applied_to_balance: false,
    currency_code: 'USD',
    status: fields.status ?? 'approved',
    items: [],
    totals: { subtotal: String(fields.total), tax: '0', total: String(fields.total), fee: '0', earnings: String(fields.total), retained_fee: '0', currency_code: 'USD' },
    payout_totals: null,
    created_at: fields.at,
    updated_at: fields.at,
  } satisfies IAdjustmentNotificationResponse;
}

/** A subscription: canceled, or with a scheduled cancellation. */
export function subscription(fields: { id: string; status: ISubscriptionNotificationResponse['status']; canceledAt?: string; scheduledCancelAt?: string }) {
  return {
    id: fields.id,
    status: fields.status,
    customer_id: id('ctm'),
    address_id: id('add'),
    business_id: null,
    currency_code: 'USD',
    created_at: '2026-03-01T12:00:00Z',
    updated_at: '2026-03-01T12:00:00Z',
    canceled_at: fields.canceledAt ?? null,
    collection_mode: 'automatic',
    billing_cycle: { interval: 'month', frequency: 1 },
    scheduled_change: fields.scheduledCancelAt ? { action: 'cancel', effective_at: fields.scheduledCancelAt } : null,
    items: [],
    custom_data: null,
  } satisfies ISubscriptionNotificationResponse;
}
