/**
 * The framework wiring of docs/guides/frameworks.md, run for real: the
 * Express app on an HTTP server, the Next.js route handlers called with a
 * `Request` as Next.js calls them. Memory store; the code is the guide's.
 */
import type { AddressInfo } from 'node:net';
import { createClickHandler, readReferral } from '@onehop/browser/server';
import { createOnehop, type Onehop } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
