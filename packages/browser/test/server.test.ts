import { createManualClock, createOnehop, keyedHash } from '@onehop/core';
import { CODE_PATTERN } from '@onehop/core/codes';
import { createMemoryStore } from '@onehop/memory';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClickHandler, readReferral } from '../src/server';

const HASH_KEY = 'browser-package-test-hash-key-0123456789';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const cookie = (value: string, name = 'onehop_ref') => `theme=dark; ${name}=${value}; other=1`;
const firstSeen = (d: Date) => d.getTime().toString(36);

describe('readReferral', () => {
  it('reads the code, first-seen time and source from a Cookie header, a Headers or a Request', () => {
    const header = cookie(`ABCD2345.${firstSeen(new Date('2026-02-20T08:00:00Z'))}.news%20letter`);
    const expected = { code: 'ABCD2345', firstSeenAt: new Date('2026-02-20T08:00:00Z'), source: 'news letter' };
    expect(readReferral(header, { now: NOW })).toEqual(expected);
    expect(readReferral(new Headers({ cookie: header }), { now: NOW })).toEqual(expected);
    expect(readReferral(new Request('https://shop.example/signup', { headers: { cookie: header } }), { now: NOW })).toEqual(expected);
  });

  it('normalises the code as the engine does, and reads a cookie of another name', () => {
    expect(readReferral(cookie(`abcd2345.${firstSeen(NOW)}.`, 'ref'), { cookie: 'ref', now: NOW })).toMatchObject({ code: 'ABCD2345', source: null });
  });

  it.each([
    ['no cookie', 'theme=dark'],
    ['markup instead of a code', cookie(`%3Cscript%3E.${firstSeen(NOW)}.`)],
    ['a code too short', cookie(`AB.${firstSeen(NOW)}.`)],
    ['no time', cookie('ABCD2345..')],
    ['a time that is not base 36', cookie('ABCD2345.12-4.')],
    ['a first-seen time in the future', cookie(`ABCD2345.${firstSeen(new Date('2026-03-02T00:00:00Z'))}.`)],
    ['a first-seen time past the last date there is', cookie(`ABCD2345.zzzzzzzzzzz.`)],
    ['a source that is not URI-encoded', cookie(`ABCD2345.${firstSeen(NOW)}.%E0%A4%A`)],
    ['a source too long', cookie(`ABCD2345.${firstSeen(NOW)}.${'x'.repeat(101)}`)],
  ])('returns null for %s', (_, header) => {
    expect(readReferral(header, { now: NOW })).toBeNull();
  });

  it('never throws on any Cookie header: a valid referral or null (property)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%F0%9F%98%80', '.', ';', '=', ' ', 'onehop_ref=', 'ABCD2345', firstSeen(NOW), 'zzzzzzzzzzz', '\uD83D', '😀'),
    );
    const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(text, fc.boolean(), (value, named) => {
        const referral = readReferral(named ? cookie(value) : value, { now: NOW });
        if (referral === null) return;
        expect(referral.code).toMatch(CODE_PATTERN);
        expect(referral.firstSeenAt.getTime()).toBeLessThanOrEqual(NOW.getTime() + 5 * 60_000);
        expect((referral.source ?? '').length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('refuses a cookie name it could not match safely', () => {
    expect(() => readReferral('a=b', { cookie: 'bad name;' })).toThrow(TypeError);
  });
});

describe('createClickHandler', () => {
  async function app(clickVelocity: { max: number; windowMinutes: number } | false = { max: 3, windowMinutes: 60 }) {
    const clock = createManualClock(NOW);
    const onehop = createOnehop({
      store: createMemoryStore(),
      clock,
      program: { id: 'shop', currency: 'USD', privacy: { hashKey: HASH_KEY }, fraud: { clickVelocity } },
    });
    await onehop.enroll({ userId: 'alice', code: 'ABCD2345' });
    let ip = '198.51.100.7';
    const handler = createClickHandler(onehop, { ip: () => ip });
    const post = (body: unknown) =>
      handler(
        new Request('http://127.0.0.1/click', {
          method: 'POST',
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'text/plain' },
        }),
      );
    return { onehop, handler, post, setIp: (next: string) => (ip = next) };
  }

  it('records a click with its landing URL, source and hashed IP, and answers 204', async () => {
    const { onehop, post } = await app();
    const response = await post({ code: 'abcd-2345', url: 'https://shop.example/?ref=abcd-2345&utm_source=news', source: 'news' });
    expect(response.status).toBe(204);
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([
      expect.objectContaining({
        code: 'ABCD2345',
        landingUrl: 'https://shop.example/?ref=abcd-2345&utm_source=news',
        source: 'news',
        ipHash: keyedHash(HASH_KEY, 'ip', '198.51.100.7'),
      }),
    ]);
  });

  it('cuts a long source to 100 code units without splitting an emoji in two', async () => {
    const { onehop, post } = await app();
    expect((await post({ code: 'ABCD2345', source: `${'s'.repeat(99)}😀😀` })).status).toBe(204);
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([expect.objectContaining({ source: 's'.repeat(99) })]);
  });

  it('keeps the click but drops a landing URL the engine would refuse', async () => {
    const { onehop, post } = await app();
    expect((await post({ code: 'ABCD2345', url: 'javascript:alert(1)' })).status).toBe(204);
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([expect.objectContaining({ landingUrl: null })]);
  });

  it('answers 204 for an unknown code and stores nothing', async () => {
    const { onehop, post } = await app();
    expect((await post({ code: 'ZZZZ9999' })).status).toBe(204);
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([]);
  });

  it('refuses a flood from one address with 429 and stores nothing for it', async () => {
    const { onehop, post, setIp } = await app();
    for (let i = 0; i < 3; i++) expect((await post({ code: 'ABCD2345' })).status).toBe(204);
    const refused = await post({ code: 'ABCD2345' });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'CLICK_VELOCITY' });
    setIp('198.51.100.8');
    expect((await post({ code: 'ABCD2345' })).status).toBe(204);
    expect(await onehop.listClicks({ userId: 'alice' })).toHaveLength(4);
  });

  it.each([
    ['not JSON', 'code=ABCD2345', 'CLICK_NOT_JSON'],
    ['no code', {}, 'CLICK_CODE_INVALID'],
    ['a script for a code', { code: '<script>alert(1)</script>' }, 'CLICK_CODE_INVALID'],
    ['a body too large', JSON.stringify({ code: 'ABCD2345', url: `https://shop.example/?q=${'x'.repeat(5000)}` }), 'CLICK_TOO_LARGE'],
  ])('answers 400 for %s and stores nothing', async (_, body, code) => {
    const { onehop, post } = await app();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code });
    expect(await onehop.listClicks({ userId: 'alice' })).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    const { handler } = await app();
    expect((await handler(new Request('http://127.0.0.1/click'))).status).toBe(405);
  });

  it('needs the program’s hash key', () => {
    const onehop = createOnehop({ store: createMemoryStore(), program: { id: 'shop', currency: 'USD' } });
    expect(() => createClickHandler(onehop, { ip: () => null })).toThrow(/hashKey/);
  });
});
