import { describe, expect, it } from 'vitest';
import { parseReferralLink } from './links';
import { SHARE_NETWORKS, shareLinks } from './share';

const LINK = 'https://app.example/join?ref=ABCD2345&utm_campaign=spring+sale&partner=7';

/** The referral link each share URL carries, read back the way the network reads it. */
function carried(network: string, url: string): string {
  const u = new URL(url);
  const param = { email: 'body', x: 'url', facebook: 'u', linkedin: 'url', whatsapp: 'text', telegram: 'url' }[network]!;
  const value = u.protocol === 'mailto:' ? new URLSearchParams(u.search).get(param)! : u.searchParams.get(param)!;
  return value.split(' ').pop()!;
}

describe('share links', () => {
  it('builds one URL per network on its share endpoint', () => {
    const share = shareLinks({ link: LINK, text: 'Get 20 % off', subject: 'A gift for you' });
    expect(Object.keys(share).sort()).toEqual([...SHARE_NETWORKS].sort());
    expect(share.email.startsWith('mailto:?subject=A%20gift%20for%20you&body=Get%2020%20%25%20off%20https')).toBe(true);
    expect(share.x.startsWith('https://x.com/intent/post?text=Get%2020%20%25%20off&url=https%3A%2F%2Fapp.example')).toBe(true);
    expect(share.facebook.startsWith('https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2F')).toBe(true);
    expect(share.linkedin.startsWith('https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2F')).toBe(true);
    expect(share.whatsapp.startsWith('https://wa.me/?text=Get%2020')).toBe(true);
    expect(share.telegram.startsWith('https://t.me/share/url?url=https%3A%2F%2F')).toBe(true);
  });

  it('keeps the code, the UTM and custom parameters of the link intact inside every share URL', () => {
    const share = shareLinks({ link: LINK, text: 'Join me & save' });
    for (const network of SHARE_NETWORKS) {
      const link = carried(network, share[network]);
      expect(link).toBe(LINK);
      expect(parseReferralLink(link)).toEqual({ code: 'ABCD2345', utm: { campaign: 'spring sale' } });
      expect(new URL(link).searchParams.get('partner')).toBe('7');
    }
  });

  it('tags each network as the UTM source when asked, without overriding the link’s own', () => {
    const share = shareLinks({ link: LINK, tagNetworks: true });
    expect(parseReferralLink(carried('x', share.x))?.utm).toEqual({ source: 'x', medium: 'social', campaign: 'spring sale' });
    expect(parseReferralLink(carried('email', share.email))?.utm).toEqual({ source: 'email', medium: 'email', campaign: 'spring sale' });
    const own = shareLinks({ link: `${LINK}&utm_source=newsletter`, tagNetworks: true });
    expect(parseReferralLink(carried('whatsapp', own.whatsapp))?.utm.source).toBe('newsletter');
  });

  it('refuses a link that is not an absolute http(s) URL', () => {
    expect(() => shareLinks({ link: 'javascript:alert(1)' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'link' }));
    expect(() => shareLinks({ link: '/join?ref=X' })).toThrow(expect.objectContaining({ field: 'link' }));
  });
});
