/**
 * A local HTTP server on 127.0.0.1 that stands in for Stripe's API in
 * these tests, because Stripe cannot be reached from where they run. It is
 * not part of anything onehop ships: it records each request the `stripe`
 * client sends (method, path, query, form body) so the tests can assert
 * the requests Stripe's API reference describes, and answers with the
 * objects (or the error) the test gives for each route.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
}

type Route = (request: RecordedRequest) => { status?: number; body: unknown } | undefined;

export interface StripeStandIn {
  /** A `stripe` client pointed at the stand-in. */
  stripe: Stripe;
  requests: RecordedRequest[];
  /** Answers the next requests; the first route that answers wins; anything else is a 404 `resource_missing`. */
  routes: Route[];
  close: () => Promise<void>;
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = [];
  const routes: Route[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: Object.fromEntries(new URLSearchParams(raw)),
      };
      requests.push(recorded);
      const answer = routes.map((route) => route(recorded)).find((a) => a !== undefined) ?? {
        status: 404,
        body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: ${recorded.path}` } },
      };
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', 'request-id': 'req_stand_in' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stripe = new Stripe('sk_test_onehop_stand_in', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
  return { stripe, requests, routes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A Stripe list object of `data`. */
export const list = (url: string, data: unknown[]) => ({ object: 'list', url, has_more: false, data });
