/**
 * A fake of Stripe's transfers API on 127.0.0.1. It stands in for Stripe's
 * API in these tests, not for anything onehop ships, and answers as Stripe's
 * API reference documents: `POST /v1/transfers` (form-encoded, with the
 * `Idempotency-Key` header) returns a transfer object; a key sent again with
 * the same parameters replays the saved answer (`Idempotent-Replayed: true`),
 * with other parameters it is refused with an `idempotency_error`; errors are
 * `{ error: { type, code, message, param } }` with Stripe's status codes;
 * `GET /v1/transfers?transfer_group=…` lists transfers.
 */
import type { ServerResponse } from 'node:http';
import { json, type LocalServer, type RecordedRequest, startLocalServer } from './local-server';

interface Transfer {
  id: string;
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  balance_transaction: string;
  created: number;
  currency: string;
  description: string | null;
  destination: string;
  destination_payment: string;
  livemode: false;
  metadata: Record<string, string>;
  reversals: { object: 'list'; data: []; has_more: false; total_count: 0; url: string };
  reversed: false;
  source_transaction: null;
  source_type: 'card';
  transfer_group: string | null;
}

/** What the next `POST /v1/transfers` does. */
type StripeBehaviour =
  /** Stripe answers with an error before the endpoint runs (nothing saved under the key), e.g. a 500 at the edge or a 429. */
  | { kind: 'error'; status: number; type: string; code?: string; message: string; param?: string }
  /** Stripe makes the transfer and saves the answer, but the answer comes only after `delayMs`. */
  | { kind: 'accept-then-hang'; delayMs: number };

export interface FakeStripe extends LocalServer {
  transfers: Transfer[];
  /** Behaviours for the next transfer creations, in order; then it succeeds. */
  next: StripeBehaviour[];
  /** Errors for the next transfer lists, in order; then it lists. */
  nextList: Extract<StripeBehaviour, { kind: 'error' }>[];
  /** The `POST /v1/transfers` requests received. */
  creates(): RecordedRequest[];
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const transfers: Transfer[] = [];
  const next: StripeBehaviour[] = [];
  const nextList: Extract<StripeBehaviour, { kind: 'error' }>[] = [];
  const saved = new Map<string, { params: string; status: number; body: unknown }>();
  let sequence = 0;

  function stripeError(response: ServerResponse, status: number, error: { type: string; code?: string; message: string; param?: string }) {
    json(response, status, { error: { ...error, request_log_url: 'https://dashboard.stripe.com/test/logs/req_fake' } }, { 'request-id': `req_${++sequence}` });
  }

  async function create(request: RecordedRequest, response: ServerResponse) {
    const key = request.headers['idempotency-key'];
    if (key) {
      const earlier = saved.get(key);
      if (earlier && earlier.params !== request.body) {
        return stripeError(response, 400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      if (earlier) return json(response, earlier.status, earlier.body, { 'idempotent-replayed': 'true', 'idempotency-key': key });
    }
    const behaviour = next.shift();
    if (behaviour?.kind === 'error') return stripeError(response, behaviour.status, behaviour);
    const form = new URLSearchParams(request.body);
    const metadata: Record<string, string> = {};
    for (const [name, value] of form) {
      const match = /^metadata\[(.+)\]$/.exec(name);
      if (match) metadata[match[1]!] = value;
    }
    const id = `tr_fake${++sequence}`;
    const transfer: Transfer = {
      id,
      object: 'transfer',
      amount: Number(form.get('amount')),
      amount_reversed: 0,
      balance_transaction: `txn_fake${sequence}`,
      created: Math.floor(Date.now() / 1000),
      currency: form.get('currency') ?? '',
      description: form.get('description'),
      destination: form.get('destination') ?? '',
      destination_payment: `py_fake${sequence}`,
      livemode: false,
      metadata,
      reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
      reversed: false,
      source_transaction: null,
      source_type: 'card',
      transfer_group: form.get('transfer_group'),
    };
    transfers.push(transfer);
    if (key) saved.set(key, { params: request.body, status: 200, body: transfer });
    if (behaviour?.kind === 'accept-then-hang') await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    if (!response.destroyed) json(response, 200, transfer, key ? { 'idempotency-key': key } : {});
  }

  const server = await startLocalServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (!request.headers.authorization?.startsWith('Bearer sk_test_')) {
      return stripeError(response, 401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' });
    }
    if (request.method === 'POST' && url.pathname === '/v1/transfers') return create(request, response);
    if (request.method === 'GET' && url.pathname === '/v1/transfers') {
      const error = nextList.shift();
      if (error) return stripeError(response, error.status, error);
      const group = url.searchParams.get('transfer_group');
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const data = transfers.filter((t) => group === null || t.transfer_group === group).reverse();
      return json(response, 200, { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url: '/v1/transfers' });
    }
    return stripeError(response, 404, { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${url.pathname}).` });
  });
  return Object.assign(server, {
    transfers,
    next,
    nextList,
    creates: () => server.requests.filter((r) => r.method === 'POST' && r.url === '/v1/transfers'),
  });
}
