/**
 * A fake of PayPal's OAuth 2.0 token and Payouts APIs on 127.0.0.1. It stands
 * in for PayPal's REST API in these tests, not for anything onehop ships, and
 * answers as PayPal's API reference documents:
 *
 * - `POST /v1/oauth2/token` with Basic client credentials and
 *   `grant_type=client_credentials`: `{ access_token, token_type, expires_in, … }`,
 *   or 401 `{ error: 'invalid_client' }`;
 * - `POST /v1/payments/payouts` with a Bearer token: 201 with the batch header
 *   (`payout_batch_id`, `batch_status` PENDING) and links; a `PayPal-Request-Id`
 *   seen before gets the first answer again; a `sender_batch_id` used before
 *   is refused with a HATEOAS link to the first batch; errors are
 *   `{ name, message, debug_id, details, links }`;
 * - `GET /v1/payments/payouts/{payout_batch_id}`: the batch header and its items.
 */
import type { ServerResponse } from 'node:http';
import { json, type LocalServer, type RecordedRequest, startLocalServer } from './local-server';

interface Batch {
  payout_batch_id: string;
  batch_status: string;
  sender_batch_id: string;
  body: { items: { receiver: string; amount: { value: string; currency: string }; sender_item_id?: string; recipient_type?: string }[] };
  item_status: string | undefined;
}

/** What the next `POST /v1/payments/payouts` does. */
type PayPalBehaviour =
  /** PayPal answers with an error and does nothing. */
  | { kind: 'error'; status: number; name: string; message: string }
  /** PayPal creates the batch (and keeps the request id), but answers only after `delayMs`. */
  | { kind: 'accept-then-hang'; delayMs: number };

export interface FakePayPal extends LocalServer {
  clientId: string;
  clientSecret: string;
  batches: Batch[];
  next: PayPalBehaviour[];
  /** Forgets the request ids seen (PayPal keeps them for a limited time). */
  forgetRequestIds(): void;
  /** Makes every token issued so far invalid, as when it expires. */
  expireTokens(): void;
  /** Moves a batch on, e.g. to SUCCESS with its item UNCLAIMED. */
  settle(batchId: string, batchStatus: string, itemStatus?: string): void;
  payoutRequests(): RecordedRequest[];
  tokenRequests(): RecordedRequest[];
}

export async function startFakePayPal(): Promise<FakePayPal> {
  const clientId = 'AfakeClientId';
  const clientSecret = 'EfakeClientSecret';
  const batches: Batch[] = [];
  const next: PayPalBehaviour[] = [];
  const answered = new Map<string, { status: number; body: unknown }>();
  const tokens = new Set<string>();
  let sequence = 0;
  let base = '';

  function paypalError(response: ServerResponse, status: number, name: string, message: string, extra: Record<string, unknown> = {}) {
    json(response, status, {
      name,
      message,
      debug_id: `dbg${++sequence}`,
      information_link: 'https://developer.paypal.com/docs/api/payments.payouts-batch/#errors',
      ...extra,
    });
  }

  function batchHeader(batch: Batch) {
    return {
      payout_batch_id: batch.payout_batch_id,
      batch_status: batch.batch_status,
      sender_batch_header: { sender_batch_id: batch.sender_batch_id },
    };
  }

  function shown(batch: Batch) {
    const item = batch.body.items[0]!;
    return {
      batch_header: { ...batchHeader(batch), amount: item.amount },
      items: batch.item_status
        ? [
            {
              payout_item_id: `ITEM${batch.payout_batch_id}`,
              transaction_status: batch.item_status,
              payout_batch_id: batch.payout_batch_id,
              payout_item: { recipient_type: 'EMAIL', amount: item.amount, receiver: item.receiver, sender_item_id: item.sender_item_id },
              ...(batch.item_status === 'UNCLAIMED' ? { errors: { name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered' } } : {}),
            },
          ]
        : [],
      links: [{ href: `${base}/v1/payments/payouts/${batch.payout_batch_id}?page_size=1000&page=1`, rel: 'self', method: 'GET' }],
    };
  }

  async function createPayout(request: RecordedRequest, response: ServerResponse) {
    const requestId = request.headers['paypal-request-id'];
    const earlier = requestId ? answered.get(requestId) : undefined;
    if (earlier) return json(response, earlier.status, earlier.body);
    const behaviour = next.shift();
    if (behaviour?.kind === 'error') return paypalError(response, behaviour.status, behaviour.name, behaviour.message);
    const body = JSON.parse(request.body) as { sender_batch_header: { sender_batch_id: string }; items: Batch['body']['items'] };
    const senderBatchId = body.sender_batch_header.sender_batch_id;
    const duplicate = batches.find((b) => b.sender_batch_id === senderBatchId);
    if (duplicate) {
      return paypalError(response, 400, 'USER_BUSINESS_ERROR', 'User business error.', {
        details: [{ field: 'SENDER_BATCH_ID', issue: `Batch with given sender_batch_id already exists: ${senderBatchId}` }],
        links: [{ href: `${base}/v1/payments/payouts/${duplicate.payout_batch_id}`, rel: 'self', method: 'GET', encType: 'application/json' }],
      });
    }
    const batch: Batch = { payout_batch_id: `FAKEBATCH${++sequence}`, batch_status: 'PENDING', sender_batch_id: senderBatchId, body, item_status: undefined };
    batches.push(batch);
    const answer = {
      status: 201,
      body: {
        batch_header: batchHeader(batch),
        links: [{ href: `${base}/v1/payments/payouts/${batch.payout_batch_id}`, rel: 'self', method: 'GET', encType: 'application/json' }],
      },
    };
    if (requestId) answered.set(requestId, answer);
    if (behaviour?.kind === 'accept-then-hang') await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    if (!response.destroyed) json(response, answer.status, answer.body);
  }

  const server = await startLocalServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (request.method === 'POST' && url.pathname === '/v1/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      if (request.headers.authorization !== expected || request.body !== 'grant_type=client_credentials') {
        return json(response, 401, { error: 'invalid_client', error_description: 'Client Authentication failed' });
      }
      const token = `A21AAfakeToken${++sequence}`;
      tokens.add(token);
      return json(response, 200, {
        scope: 'https://uri.paypal.com/services/payments/payouts',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: 32400,
        nonce: `2026-12-01T09:00:00Z${sequence}`,
      });
    }
    const token = request.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !tokens.has(token)) return json(response, 401, { error: 'invalid_token', error_description: 'Token signature verification failed' });
    if (request.method === 'POST' && url.pathname === '/v1/payments/payouts') return createPayout(request, response);
    const show = /^\/v1\/payments\/payouts\/([A-Z0-9]+)$/.exec(url.pathname);
    const batch = show ? batches.find((b) => b.payout_batch_id === show[1]) : undefined;
    if (request.method === 'GET' && batch) return json(response, 200, shown(batch));
    return paypalError(response, 404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.');
  });
  base = server.url;
  return Object.assign(server, {
    clientId,
    clientSecret,
    batches,
    next,
    forgetRequestIds: () => answered.clear(),
    expireTokens: () => tokens.clear(),
    settle(batchId: string, batchStatus: string, itemStatus?: string) {
      const batch = batches.find((b) => b.payout_batch_id === batchId)!;
      batch.batch_status = batchStatus;
      batch.item_status = itemStatus;
    },
    payoutRequests: () => server.requests.filter((r) => r.method === 'POST' && r.url === '/v1/payments/payouts'),
    tokenRequests: () => server.requests.filter((r) => r.url === '/v1/oauth2/token'),
  });
}
