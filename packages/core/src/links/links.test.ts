import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReferralLink, parseReferralLink } from './links';

describe('referral links', () => {
  it('puts the normalised code under the parameter and keeps existing query parameters', () => {
    expect(buildReferralLink({ baseUrl: 'https://app.example/join?lang=de#top', code: 'abcd-2345' })).toBe('https://app.example/join?lang=de&ref=ABCD2345#top');
  });

  it('adds UTM and custom parameters', () => {
    const link = buildReferralLink({
      baseUrl: 'https://app.example/',
      code: 'ABCD2345',
      parameter: 'via',
      utm: { source: 'newsletter', medium: 'email', campaign: 'spring sale' },
      params: { partner: '7' },
    });
    expect(link).toBe('https://app.example/?via=ABCD2345&utm_source=newsletter&utm_medium=email&utm_campaign=spring+sale&partner=7');
    expect(parseReferralLink(link, 'via')).toEqual({ code: 'ABCD2345', utm: { source: 'newsletter', medium: 'email', campaign: 'spring sale' } });
  });

  it('round-trips any code and UTM source', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z2-9]{3,32}$/), fc.string({ minLength: 1, maxLength: 50 }), (code, source) => {
        const link = buildReferralLink({ baseUrl: 'https://x.example/a', code, utm: { source } });
        expect(parseReferralLink(link)).toEqual({ code, utm: { source } });
      }),
    );
  });

  it('parses a link without a code as null', () => {
    expect(parseReferralLink('https://app.example/?utm_source=x')).toBeNull();
    expect(parseReferralLink('https://app.example/?ref=')).toBeNull();
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => buildReferralLink({ baseUrl: 'javascript:alert(1)', code: 'ABC' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'baseUrl' }));
    expect(() => buildReferralLink({ baseUrl: '/relative', code: 'ABC' })).toThrow(expect.objectContaining({ field: 'baseUrl' }));
    expect(() => parseReferralLink('not a url')).toThrow(expect.objectContaining({ field: 'link' }));
  });
});
