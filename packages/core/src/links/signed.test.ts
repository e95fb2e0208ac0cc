import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signLink, verifyLink } from './signed';

const SECRET = 'a-link-secret-of-at-least-32-characters!';
const NOW = new Date('2026-05-01T00:00:00Z');
const EXPIRES = new Date('2026-05-31T00:00:00Z');
const link = signLink('https://app.example/join?ref=ABCD2345&utm_source=x', SECRET, 'main', 'ref', EXPIRES);

describe('signed links', () => {
  it('passes until its expiry, then is refused as expired', () => {
    expect(verifyLink(link, SECRET, 'main', 'ref', NOW)).toEqual({ ok: true, code: 'ABCD2345', expiresAt: EXPIRES });
    expect(verifyLink(link, SECRET, 'main', 'ref', new Date(EXPIRES.getTime() - 1000)).ok).toBe(true);
    expect(verifyLink(link, SECRET, 'main', 'ref', EXPIRES)).toMatchObject({ ok: false, reason: 'LINK_EXPIRED' });
  });

  it('refuses a changed code, a pushed-out expiry, another secret or another program as tampered', () => {
    const url = new URL(link);
    url.searchParams.set('ref', 'ZZZZ2345');
    expect(verifyLink(url, SECRET, 'main', 'ref', NOW)).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
    const later = new URL(link);
    later.searchParams.set('exp', String(Math.floor(EXPIRES.getTime() / 1000) + 86_400));
    expect(verifyLink(later, SECRET, 'main', 'ref', NOW)).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
    expect(verifyLink(link, `${SECRET}2`, 'main', 'ref', NOW)).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
    expect(verifyLink(link, SECRET, 'other', 'ref', NOW)).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
  });

  it('does not sign the UTM parameters: a retagged link still passes; the code is compared normalised', () => {
    const url = new URL(link);
    url.searchParams.set('utm_source', 'newsletter');
    url.searchParams.set('ref', 'abcd-2345');
    expect(verifyLink(url, SECRET, 'main', 'ref', NOW).ok).toBe(true);
  });

  it('says a link without exp and sig is unsigned', () => {
    expect(verifyLink('https://app.example/join?ref=ABCD2345', SECRET, 'main', 'ref', NOW)).toMatchObject({ ok: false, reason: 'LINK_UNSIGNED' });
  });

  it('refuses any single-character change of the signature', () => {
    const sig = new URL(link).searchParams.get('sig')!;
    fc.assert(
      fc.property(fc.nat(sig.length - 1), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), (i, ch) => {
        fc.pre(sig[i] !== ch);
        const url = new URL(link);
        url.searchParams.set('sig', sig.slice(0, i) + ch + sig.slice(i + 1));
        expect(verifyLink(url, SECRET, 'main', 'ref', NOW)).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
      }),
    );
  });
});
