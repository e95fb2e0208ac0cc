import { describe, expect, it } from 'vitest';
import type { Setup } from './money-suite';

const SECRET = 'conformance-link-secret-0123456789abcdef';
const DAY = 86_400_000;

/** Links the engine builds for a user: links with the program parameter and UTM, signed expiring links and how attribution checks them, share URLs, QR codes. */
export function linksSuite(setup: Setup): void {
  describe('building and parsing', () => {
    it("builds a user's link with the program parameter and UTM, and parses it back", async () => {
      const { onehop } = await setup({ links: { parameter: 'via' } });
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      const link = await onehop.linkFor({ userId: 'alice', baseUrl: 'https://app.example/join?lang=en', utm: { source: 'x', campaign: 'spring' } });
      expect(link).toBe('https://app.example/join?lang=en&via=ALICE123&utm_source=x&utm_campaign=spring');
      expect(onehop.parseLink(link)).toEqual({ code: 'ALICE123', utm: { source: 'x', campaign: 'spring' } });
      await expect(onehop.linkFor({ userId: 'ghost', baseUrl: 'https://app.example' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
    });
  });

  describe('signed links', () => {
    it('attributes through a valid signed link and refuses it once expired, with nothing written but the audit line', async () => {
      const { onehop, clock } = await setup({ links: { signing: { secret: SECRET } } });
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      const link = await onehop.signedLinkFor({ userId: 'alice', baseUrl: 'https://shop.example/join', expiresAt: new Date(clock.now().getTime() + 7 * DAY) });
      expect(onehop.verifyLink(link)).toMatchObject({ ok: true, code: 'ALICE123' });
      expect(await onehop.attribute({ refereeId: 'bob', code: 'alice-123', link })).toMatchObject({ ok: true });
      clock.advance(7 * DAY);
      const late = await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', link });
      expect(late).toMatchObject({ ok: false, reason: 'LINK_EXPIRED' });
      expect(await onehop.getReferralByReferee('carol')).toBeNull();
      expect((await onehop.auditTrail('attribution_attempt', 'carol')).map((a) => a.reason)).toEqual(['LINK_EXPIRED']);
    });

    it('refuses a link whose code or expiry was changed, or that names another code than the one given', async () => {
      const { onehop } = await setup({ links: { signing: { secret: SECRET } } });
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      await onehop.enroll({ userId: 'mallory', code: 'MALLORY1' });
      const link = new URL(await onehop.signedLinkFor({ userId: 'alice', baseUrl: 'https://shop.example/' }));
      const swapped = new URL(link);
      swapped.searchParams.set('ref', 'MALLORY1');
      expect(await onehop.attribute({ refereeId: 'bob', code: 'MALLORY1', link: swapped.toString() })).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
      const extended = new URL(link);
      extended.searchParams.set('exp', String(Number(link.searchParams.get('exp')) + 3650 * 86_400));
      expect(await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', link: extended.toString() })).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
      expect(await onehop.attribute({ refereeId: 'bob', code: 'MALLORY1', link: link.toString() })).toMatchObject({ ok: false, reason: 'LINK_TAMPERED' });
      expect(await onehop.getReferralByReferee('bob')).toBeNull();
    });

    it('with signing required, refuses a sign-up without a signed link; without it, a plain code still works', async () => {
      const strict = await setup({ links: { signing: { secret: SECRET, required: true } } });
      await strict.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      expect(await strict.onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })).toMatchObject({ ok: false, reason: 'LINK_UNSIGNED' });
      const relaxed = await setup({ links: { signing: { secret: SECRET } } });
      await relaxed.onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      expect(await relaxed.onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })).toMatchObject({ ok: true });
    });

    it('says what to configure when the program has no link secret, and refuses an expiry in the past', async () => {
      const { onehop, clock } = await setup();
      await onehop.enroll({ userId: 'alice' });
      await expect(onehop.signedLinkFor({ userId: 'alice', baseUrl: 'https://shop.example/' })).rejects.toMatchObject({
        code: 'LINK_SIGNING_NOT_CONFIGURED',
        field: 'program.links.signing',
      });
      await expect(onehop.attribute({ refereeId: 'bob', code: 'X', link: 'https://shop.example/?ref=X&exp=1&sig=x' })).rejects.toMatchObject({
        code: 'LINK_SIGNING_NOT_CONFIGURED',
      });
      const signed = await setup({ links: { signing: { secret: SECRET } } });
      await signed.onehop.enroll({ userId: 'alice' });
      await expect(signed.onehop.signedLinkFor({ userId: 'alice', baseUrl: 'https://shop.example/', expiresAt: clock.now() })).rejects.toMatchObject({
        field: 'expiresAt',
      });
    });
  });

  describe('sharing', () => {
    it('gives share URLs and a QR code of the user’s referral link, UTM parameters kept', async () => {
      const { onehop } = await setup();
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      const { link, share } = await onehop.shareLinksFor({ userId: 'alice', baseUrl: 'https://shop.example/join', utm: { campaign: 'spring' }, text: 'Try it' });
      expect(link).toBe('https://shop.example/join?ref=ALICE123&utm_campaign=spring');
      expect(new URL(share.x).searchParams.get('url')).toBe(link);
      expect(new URL(share.telegram).searchParams.get('url')).toBe(link);
      const svg = await onehop.qrCodeFor({ userId: 'alice', baseUrl: 'https://shop.example/join', scale: 4 });
      expect(svg).toMatch(/^<svg [^>]*viewBox="-4 -4 /);
      await expect(onehop.qrCodeFor({ userId: 'nobody', baseUrl: 'https://shop.example/' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
    });

    it('refuses a UTM key it does not know, naming it, rather than dropping it', async () => {
      const { onehop } = await setup();
      await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
      const base = { userId: 'alice', baseUrl: 'https://shop.example/join' };
      const utm = { utm_source: 'x', campaign: 'spring' } as never;
      for (const call of [
        () => onehop.linkFor({ ...base, utm }),
        () => onehop.signedLinkFor({ ...base, utm }),
        () => onehop.shareLinksFor({ ...base, utm }),
        () => onehop.qrCodeFor({ ...base, utm }),
      ]) {
        await expect(call()).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
          field: 'utm',
          message: expect.stringMatching(/utm: unknown UTM key "utm_source": use source, medium, campaign, term or content, without "utm_"/),
        });
      }
      expect(await onehop.linkFor({ ...base, utm: { source: 'x', campaign: 'spring' } })).toBe('https://shop.example/join?ref=ALICE123&utm_source=x&utm_campaign=spring');
    });
  });
}
