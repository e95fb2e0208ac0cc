/**
 * The snippet in a real browser: Debian's Chromium driven by playwright-core,
 * against pages served on 127.0.0.1. Host names under shop.test are mapped to
 * 127.0.0.1 with Chromium's --host-resolver-rules, so cookies behave as they
 * do on a real domain with subdomains.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, createOnehop, type Onehop } from '@onehop/core';
import { CODE_PATTERN, normalizeCode } from '@onehop/core/codes';
import { createMemoryStore } from '@onehop/memory';
import fc from 'fast-check';
import type { Browser, BrowserContext, Cookie } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../testing/chromium';
import { noChromiumReason } from '../../../testing/environment';
import { buildSnippet } from '../scripts/snippet';
import { createClickHandler, readReferral } from '../src/server';

const available = chromiumAvailable('@onehop/browser: the Chromium tests');

const HASH_KEY = 'browser-package-test-hash-key-0123456789';
const DAY = 86_400;

describe.skipIf(!available)(`the snippet in Chromium${available ? '' : `: skipped, ${noChromiumReason()}`}`, () => {
  let browser: Browser;
  let server: Server;
  let port: number;
  let secureServer: Server;
  let securePort: number;
  let snippet: string;
  let onehop: Onehop;
  let context: BrowserContext;
  /** Page bodies by path, set by each test. */
  const pages = new Map<string, string>();

  const url = (host: string, path: string) => `http://${host}:${port}${path}`;
  const secureUrl = (host: string, path: string) => `https://${host}:${securePort}${path}`;
  const page = (path: string, scriptAttributes: string, body = '') =>
    pages.set(path, `<!doctype html><html><head><script src="/onehop.min.js" ${scriptAttributes}></script></head><body>${body}</body></html>`);
  const refCookie = async (): Promise<Cookie | undefined> => (await context.cookies()).find((c) => c.name === 'onehop_ref');

  async function toRequest(req: IncomingMessage): Promise<Request> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    return new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : null });
  }

  beforeAll(async () => {
    snippet = await buildSnippet();
    onehop = createOnehop({ store: createMemoryStore(), clock: createManualClock(new Date()), program: { id: 'shop', currency: 'USD', privacy: { hashKey: HASH_KEY } } });
    await onehop.enroll({ userId: 'alice', code: 'ABCD2345' });
    await onehop.enroll({ userId: 'walt', code: 'WXYZ6789' });
    const clicks = createClickHandler(onehop, { ip: (request) => request.headers.get('x-test-peer') });
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url!, 'http://x').pathname;
      if (path === '/onehop.min.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(snippet);
      } else if (path === '/click') {
        // The socket's address, as a real server would take it.
        req.headers['x-test-peer'] = req.socket.remoteAddress ?? '';
        const response = await clicks(await toRequest(req));
        res.writeHead(response.status).end(await response.text());
      } else if (path === '/api/signup' && req.method === 'POST') {
        // What an application's sign-up handler does: read the cookie, attribute the new user.
        const request = await toRequest(req);
        const form = new URLSearchParams(await request.text());
        const referral = readReferral(request);
        const code = referral?.code ?? form.get('referral_code') ?? '';
        const result = await onehop.attribute({ refereeId: form.get('user')!, code, source: referral?.source ?? undefined, clickedAt: referral?.firstSeenAt });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      } else if (pages.has(path)) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(path));
      } else {
        res.writeHead(404).end();
      }
    };
    // Room for the long addresses of the property test (Node's default is 16 KiB of headers).
    const maxHeaderSize = 256 * 1024;
    server = createServer({ maxHeaderSize }, handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    // The same pages over https, with a throwaway self-signed certificate.
    const dir = mkdtempSync(join(tmpdir(), 'onehop-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=shop.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      {
        stdio: 'ignore',
      },
    );
    secureServer = createHttpsServer({ maxHeaderSize, key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, handle);
    await new Promise<void>((resolve) => secureServer.listen(0, '127.0.0.1', resolve));
    securePort = (secureServer.address() as AddressInfo).port;
    browser = await launchChromium('MAP *.shop.test 127.0.0.1, MAP shop.test 127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await new Promise((resolve) => secureServer?.close(resolve));
  });

  beforeEach(async () => {
    pages.clear();
    await context?.close();
    context = await browser.newContext({ ignoreHTTPSErrors: true });
  });

  it('landing with ?ref=abcd2345 stores ABCD2345 with the first-seen time and source, SameSite=Lax, not Secure on http, 60 days, on the apex domain', async () => {
    page('/landing', '');
    const tab = await context.newPage();
    const before = Date.now();
    await tab.goto(url('www.shop.test', '/landing?ref=abcd2345&utm_source=newsletter'));
    const cookie = await refCookie();
    expect(cookie).toMatchObject({ domain: '.shop.test', path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    const [code, seen, source] = cookie!.value.split('.');
    expect(code).toBe('ABCD2345');
    expect(parseInt(seen!, 36)).toBeGreaterThanOrEqual(before - 1000);
    expect(source).toBe('newsletter');
    expect(cookie!.expires - before / 1000).toBeGreaterThan(60 * DAY - 60);
    expect(cookie!.expires - before / 1000).toBeLessThan(60 * DAY + 60);
    expect(await tab.evaluate(() => (window as unknown as { onehop: { code: string } }).onehop.code)).toBe('ABCD2345');
  });

  it('sets Secure on https', async () => {
    page('/landing', '');
    const tab = await context.newPage();
    await tab.goto(secureUrl('www.shop.test', '/landing?ref=abcd2345'));
    expect(await refCookie()).toMatchObject({ domain: '.shop.test', secure: true, sameSite: 'Lax', value: expect.stringMatching(/^ABCD2345\./) });
  });

  it('takes the code from ?via= too, and data-days sets the lifetime', async () => {
    page('/landing', 'data-days="30"');
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/landing?via=wxyz-6789'));
    const cookie = await refCookie();
    expect(cookie?.value).toMatch(/^WXYZ6789\./);
    expect(cookie!.expires - Date.now() / 1000).toBeLessThan(30 * DAY + 60);
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(30 * DAY - 60);
  });

  it('first click (the default) keeps the first code; last click replaces it', async () => {
    page('/first', '');
    page('/last', 'data-model="last"');
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/first?ref=abcd2345'));
    await tab.goto(url('www.shop.test', '/first?ref=wxyz6789'));
    expect((await refCookie())?.value).toMatch(/^ABCD2345\./);
    await tab.goto(url('www.shop.test', '/last?ref=wxyz6789'));
    expect((await refCookie())?.value).toMatch(/^WXYZ6789\./);
    expect((await context.cookies()).filter((c) => c.name === 'onehop_ref')).toHaveLength(1);
  });

  it.each([
    ['a script payload', '?ref=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['markup with quotes', '?ref=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'],
    ['a code too short', '?ref=ab'],
    ['a code too long', `?ref=${'A'.repeat(33)}`],
    ['a cookie injection', '?ref=ABCD2345%3Bdomain%3Devil.test'],
  ])('ignores %s: nothing stored, nothing filled in', async (_, query) => {
    page('/landing', '', '<input name="referral_code">');
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', `/landing${query}`));
    expect(await refCookie()).toBeUndefined();
    expect(await tab.inputValue('input[name="referral_code"]')).toBe('');
    expect(await tab.evaluate(() => (window as unknown as { onehop: { code: unknown } }).onehop.code)).toBeNull();
  });

  it('the apex-domain cookie is visible on a second subdomain, which pre-fills its sign-up form', async () => {
    page('/landing', '');
    page('/signup', '', '<form><input name="referral_code"><span data-onehop-code></span></form>');
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/landing?ref=abcd2345'));
    await tab.goto(url('app.shop.test', '/signup'));
    expect(await tab.evaluate(() => document.cookie)).toMatch(/onehop_ref=ABCD2345\./);
    expect(await tab.inputValue('input[name="referral_code"]')).toBe('ABCD2345');
    expect(await tab.textContent('[data-onehop-code]')).toBe('ABCD2345');
  });

  it('on an IP address the cookie belongs to the host alone', async () => {
    page('/landing', '');
    const tab = await context.newPage();
    await tab.goto(url('127.0.0.1', '/landing?ref=abcd2345'));
    expect(await refCookie()).toMatchObject({ domain: '127.0.0.1', value: expect.stringMatching(/^ABCD2345\./) });
  });

  it('consent mode stores nothing until the page grants consent', async () => {
    page('/landing', 'data-consent', '<input name="referral_code">');
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/landing?ref=abcd2345'));
    expect(await context.cookies()).toEqual([]);
    // The code waits in memory: the page can show it, but nothing is on the device.
    expect(await tab.inputValue('input[name="referral_code"]')).toBe('ABCD2345');
    await tab.evaluate(() => (window as unknown as { onehop: { grant(): void } }).onehop.grant());
    expect((await refCookie())?.value).toMatch(/^ABCD2345\./);
  });

  it('pre-fills an input added to the page after load', async () => {
    page('/signup', '', `<div id="later"></div><script>setTimeout(() => { document.getElementById('later').innerHTML = '<input name="referral_code">'; }, 50);</script>`);
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/signup?ref=abcd2345'));
    await tab.waitForSelector('input[name="referral_code"]');
    await expect.poll(() => tab.inputValue('input[name="referral_code"]')).toBe('ABCD2345');
  });

  it('removes the code parameters from the address bar and keeps the others', async () => {
    page('/landing', 'data-strip');
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/landing?ref=abcd2345&utm_source=x&page=2'));
    expect(new URL(tab.url()).search).toBe('?utm_source=x&page=2');
    expect((await refCookie())?.value).toMatch(/^ABCD2345\./);
  });

  it('the beacon reaches the click endpoint and a click is stored', async () => {
    page('/landing', 'data-beacon="/click"');
    const before = (await onehop.listClicks({ userId: 'alice', limit: 1000 })).length;
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/landing?ref=abcd2345&utm_source=podcast'));
    await expect.poll(async () => (await onehop.listClicks({ userId: 'alice', limit: 1000 })).length).toBe(before + 1);
    const click = (await onehop.listClicks({ userId: 'alice', limit: 1000 })).at(-1)!;
    expect(click).toMatchObject({ code: 'ABCD2345', source: 'podcast', landingUrl: url('www.shop.test', '/landing?ref=abcd2345&utm_source=podcast') });
    expect(click.ipHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a full flow: landing page → sign-up form post → the server reads the cookie → attribute → the referral exists', async () => {
    page('/landing', '');
    page(
      '/signup',
      '',
      `<form method="post" action="/api/signup"><input name="user" value="bob-browser"><input name="referral_code"><button type="submit">Sign up</button></form>`,
    );
    const tab = await context.newPage();
    await tab.goto(url('www.shop.test', '/landing?ref=abcd2345&utm_source=newsletter'));
    await tab.goto(url('app.shop.test', '/signup'));
    expect(await tab.inputValue('input[name="referral_code"]')).toBe('ABCD2345');
    const [response] = await Promise.all([tab.waitForResponse((r) => r.url().endsWith('/api/signup')), tab.click('button')]);
    expect(await response.json()).toMatchObject({ ok: true });
    const referral = await onehop.getReferralByReferee('bob-browser');
    expect(referral).toMatchObject({ referrerId: 'alice', code: 'ABCD2345', source: 'newsletter', status: 'pending' });
    expect(referral!.clickedAt).toBeInstanceOf(Date);
  });

  it('a landing source whose 100-character cut falls inside an emoji is kept up to the emoji, and window.onehop is there', async () => {
    page('/landing', 'data-consent');
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(url('www.shop.test', `/landing?ref=abcd2345&utm_source=${'s'.repeat(99)}${encodeURIComponent('😀')}`));
    await tab.evaluate(() => (window as unknown as { onehop: { grant(): void } }).onehop.grant());
    expect(errors).toEqual([]);
    expect(readReferral(`onehop_ref=${(await refCookie())!.value}`)).toMatchObject({ code: 'ABCD2345', source: 's'.repeat(99) });
  });

  it('never throws on any landing URL: window.onehop is there, and the cookie is the landing code with a readable source, or absent (property)', async () => {
    page('/any', '');
    page('/any-consent', 'data-consent');
    page('/any-strip', 'data-strip data-model="last"');
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    // Pieces of a query value: any code points (lone surrogate halves included), broken and valid
    // percent-encoding, emoji, codes, separators, and huge runs.
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('%', '%2', '%ZZ', '%E0%A4', '%F0%9F%98', '%ED%A0%80', '%FF', '%00', '%25', '&', '=', '#', '+', ';', '.', ' ', '\uD83D', '\uDE00'),
      fc.constantFrom('😀', encodeURIComponent('😀'), '👩‍👩‍👧', 'ẞ'),
      fc.constantFrom('abcd2345', 'ABCD-2345', 'wxyz6789', 'ab'),
      fc.integer({ min: 90, max: 10_000 }).map((n) => 'x'.repeat(n)),
    );
    const value = fc.array(piece, { maxLength: 4 }).map((pieces) => pieces.join(''));
    const params = fc
      .array(fc.tuple(fc.constantFrom('ref', 'via', 'utm_source', 'utm_source', 'page', ''), value), { maxLength: 4 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
    // A valid code and a source cut inside a surrogate pair, with raw or encoded emoji.
    const cut = fc
      .tuple(fc.integer({ min: 95, max: 101 }), fc.constantFrom('😀', encodeURIComponent('😀')))
      .map(([n, emoji]) => `ref=abcd2345&utm_source=${'s'.repeat(n)}${emoji.repeat(3)}`);
    const code = (raw: string | null) => (CODE_PATTERN.test(normalizeCode(raw ?? '')) ? normalizeCode(raw ?? '') : null);
    await fc.assert(
      fc.asyncProperty(fc.oneof(params, cut), fc.constantFrom('/any', '/any-consent', '/any-strip'), async (query, path) => {
        await context.clearCookies();
        errors.length = 0;
        await tab.goto(url('www.shop.test', `${path}?${query}`));
        // The address as the browser parsed it, before the snippet stripped anything.
        const landed = new URL(await tab.evaluate(() => performance.getEntriesByType('navigation')[0]!.name)).searchParams;
        const expected = code(landed.get('ref')) ?? code(landed.get('via'));
        expect(await tab.evaluate(() => typeof (window as unknown as { onehop?: unknown }).onehop)).toBe('object');
        if (path === '/any-consent') await tab.evaluate(() => (window as unknown as { onehop: { grant(): void } }).onehop.grant());
        expect(errors).toEqual([]);
        expect(await tab.evaluate(() => (window as unknown as { onehop: { code: unknown } }).onehop.code)).toBe(expected);
        const cookie = await refCookie();
        if (expected === null) {
          expect(cookie).toBeUndefined();
          return;
        }
        const referral = readReferral(`onehop_ref=${cookie!.value}`);
        expect(referral).toMatchObject({ code: expected });
        expect(landed.get('utm_source') ?? '').toContain(referral!.source ?? '');
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
