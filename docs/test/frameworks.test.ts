/**
 * The framework wiring of docs/guides/frameworks.md, run for real: the
 * Express app on an HTTP server, the Next.js route handlers called with a
 * `Request` as Next.js calls them, the middleware's function bundled for the
 * Edge runtime and run without Node, the Hono app through `app.fetch`.
 * Memory store; the code is the guide's.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createContext, runInContext } from 'node:vm';
import { createClickHandler, readReferral, type StoredReferral } from '@onehop/browser/server';
import { createOnehop, type Onehop } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';
import express from 'express';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNeutral } from '../../testing/bundle';

function engine(): Onehop {
  return createOnehop({ store: createMemoryStore(), program: { id: 'main', currency: 'USD', privacy: { hashKey: 'a-test-key-of-at-least-32-characters!' } } });
}

/** The snippet's cookie: CODE.FIRSTSEEN (ms, base 36).SOURCE. */
const cookie = (code: string, firstSeen: Date, source: string) => `onehop_ref=${code}.${firstSeen.getTime().toString(36)}.${encodeURIComponent(source)}`;

describe('Express', () => {
  const onehop = engine();
  const users: string[] = [];
  let base: string;
  let close: () => void;

  // The guide's wiring.
  function toRequest(req: express.Request): Request {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = req.method === 'GET' || req.method === 'HEAD' || typeof req.body !== 'string' ? undefined : req.body;
    return new Request(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, { method: req.method, headers, body });
  }
  async function send(res: express.Response, response: Response): Promise<void> {
    res.status(response.status);
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  beforeAll(async () => {
    const app = express();
    app.post('/api/onehop/click', express.text({ type: '*/*', limit: '4kb' }), async (req, res) => {
      const clicks = createClickHandler(onehop, { ip: () => req.ip ?? null });
      await send(res, await clicks(toRequest(req)));
    });
    app.post('/signup', express.urlencoded({ extended: false }), async (req, res) => {
      const id = `user-${users.push(String(req.body.email))}`;
      const referral = readReferral(req.get('cookie'));
      if (referral) await onehop.attribute({ refereeId: id, code: referral.code, source: referral.source ?? undefined, clickedAt: referral.firstSeenAt });
      res.status(201).json({ id });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close?.());

  it('records a beacon click (204), counted for the referrer, and answers 400 to a body that is not a click', async () => {
    const { participant } = await onehop.enroll({ userId: 'alice' });
    const click = await fetch(`${base}/api/onehop/click`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ code: participant.code, source: 'newsletter' }),
    });
    expect(click.status).toBe(204);
    expect(await onehop.listClicks({ userId: 'alice' })).toHaveLength(1);
    const bad = await fetch(`${base}/api/onehop/click`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'CLICK_NOT_JSON' });
  });

  it('attributes a sign-up that carries the referral cookie, with the landing source', async () => {
    const { participant } = await onehop.enroll({ userId: 'bob' });
    const response = await fetch(`${base}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie(participant.code, new Date(Date.now() - 60_000), 'newsletter') },
      body: 'email=carol%40example.com',
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await onehop.getReferralByReferee(id)).toMatchObject({ referrerId: 'bob', source: 'newsletter' });
  });
});

describe('Next.js route handlers', () => {
  it('the click route and the sign-up route, called with a Request', async () => {
    const onehop = engine();
    // The guide's route handlers.
    const POST_CLICK = createClickHandler(onehop, { ip: (request) => request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() ?? null });
    async function POST_SIGNUP(request: Request): Promise<Response> {
      const form = await request.formData();
      const user = { id: `user-${String(form.get('email'))}` };
      const referral = readReferral(request);
      if (referral) await onehop.attribute({ refereeId: user.id, code: referral.code, source: referral.source ?? undefined, clickedAt: referral.firstSeenAt });
      return Response.json({ id: user.id }, { status: 201 });
    }

    const { participant } = await onehop.enroll({ userId: 'dana' });
    const click = await POST_CLICK(
      new Request('https://shop.example/api/onehop/click', {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.9' },
        body: JSON.stringify({ code: participant.code }),
      }),
    );
    expect(click.status).toBe(204);
    expect(await onehop.listClicks({ userId: 'dana' })).toHaveLength(1);

    const signup = await POST_SIGNUP(
      new Request('https://shop.example/signup', {
        method: 'POST',
        headers: { cookie: cookie(participant.code, new Date(Date.now() - 60_000), 'blog') },
        body: new URLSearchParams({ email: 'erin' }),
      }),
    );
    expect(signup.status).toBe(201);
    expect(await onehop.getReferralByReferee('user-erin')).toMatchObject({ referrerId: 'dana', source: 'blog' });
  });
});

/** The guide's ```ts block that starts with `first`, as it is written. */
function guideBlock(first: string): string {
  const guide = readFileSync(new URL('../guides/frameworks.md', import.meta.url), 'utf8');
  const start = guide.indexOf(`\`\`\`ts\n${first}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = guide.slice(guide.indexOf('\n', start) + 1);
  return body.slice(0, body.indexOf('\n```'));
}

describe('Next.js middleware', () => {
  it("the guide's withReferralHeaders, bundled for the Edge runtime, passes the cookie's referral on and drops forged headers", async () => {
    // Bundled as Next.js bundles middleware for the Edge runtime: no Node built-in resolves.
    const source = `${guideBlock('// lib/referral-headers.ts')}\nglobalThis.withReferralHeaders = withReferralHeaders;\n`;
    const { code, gzipped } = await bundleNeutral(source, new URL('.', import.meta.url), { format: 'iife' });
    console.log(`middleware with readReferral: ${gzipped} bytes gzipped`);
    expect(code).not.toMatch(/node:|\brequire\(|ZodError/);
    // What the Edge runtime offers: the language and the Web globals, no process, require or Buffer.
    const context = createContext({ Request, Headers, URL, TextEncoder, TextDecoder, console });
    runInContext(code, context);
    expect(runInContext('typeof process + typeof require + typeof Buffer', context)).toBe('undefinedundefinedundefined');
    const withReferralHeaders = context.withReferralHeaders as (request: Request) => Headers;

    // Middleware receives the page's request (a NextRequest is a Request) with the visitor's cookies.
    const firstSeen = new Date(Date.now() - 3_600_000);
    const referred = withReferralHeaders(
      new Request('https://shop.example/pricing', {
        headers: { cookie: `theme=dark; ${cookie('abcd-2345', firstSeen, 'blog')}`, 'x-onehop-referral-source': 'forged', accept: 'text/html' },
      }),
    );
    expect(referred.get('x-onehop-referral-code')).toBe('ABCD2345');
    expect(referred.get('x-onehop-referral-source')).toBe('blog');
    expect(referred.get('accept')).toBe('text/html');

    // No cookie, or one that is not a code: nothing passed on, and the visitor's own header is gone.
    for (const cookieHeader of [undefined, 'onehop_ref=no-such-code!.kx.blog']) {
      const headers = withReferralHeaders(
        new Request('https://shop.example/pricing', { headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), 'x-onehop-referral-code': 'ABCD2345' } }),
      );
      expect(headers.has('x-onehop-referral-code')).toBe(false);
      expect(headers.has('x-onehop-referral-source')).toBe(false);
    }
  });
});

describe('Hono', () => {
  it("the guide's app: the middleware's referral reaches the sign-up, and the click route records a click", async () => {
    const onehop = engine();
    const users: string[] = [];
    const createUser = async (email: string) => ({ id: `user-${users.push(email)}` });

    // The guide's app.
    const app = new Hono<{ Variables: { referral: StoredReferral | null } }>();
    app.use('*', async (c, next) => {
      c.set('referral', readReferral(c.req.raw));
      await next();
    });
    const clicks = createClickHandler(onehop, { ip: (request) => request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() ?? null });
    app.post('/api/onehop/click', (c) => clicks(c.req.raw));
    app.post('/signup', async (c) => {
      const form = await c.req.formData();
      const user = await createUser(String(form.get('email')));
      const referral = c.get('referral');
      if (referral) await onehop.attribute({ refereeId: user.id, code: referral.code, source: referral.source ?? undefined, clickedAt: referral.firstSeenAt });
      return c.json({ id: user.id }, 201);
    });

    const { participant } = await onehop.enroll({ userId: 'frank' });
    const click = await app.fetch(
      new Request('https://shop.example/api/onehop/click', {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.7' },
        body: JSON.stringify({ code: participant.code, source: 'podcast' }),
      }),
    );
    expect(click.status).toBe(204);
    expect(await onehop.listClicks({ userId: 'frank' })).toHaveLength(1);

    const signup = await app.fetch(
      new Request('https://shop.example/signup', {
        method: 'POST',
        headers: { cookie: cookie(participant.code, new Date(Date.now() - 60_000), 'podcast') },
        body: new URLSearchParams({ email: 'gina@example.com' }),
      }),
    );
    expect(signup.status).toBe(201);
    const { id } = (await signup.json()) as { id: string };
    expect(await onehop.getReferralByReferee(id)).toMatchObject({ referrerId: 'frank', source: 'podcast' });

    // Without the cookie the sign-up goes through unreferred.
    const plain = await app.fetch(new Request('https://shop.example/signup', { method: 'POST', body: new URLSearchParams({ email: 'hal@example.com' }) }));
    expect(plain.status).toBe(201);
    expect(await onehop.getReferralByReferee(((await plain.json()) as { id: string }).id)).toBeNull();
  });
});
