/**
 * The referee's side and the referrer's forms in Debian's Chromium
 * (playwright-core), at a desktop and a phone width: the landing page's
 * acknowledgement of a friend's link, the sign-up's outcome (applied, and
 * refused in plain words), a partial refund with its confirmation, and the
 * payout-method form. Every page visited must fit the width without
 * horizontal scrolling and log no console error. Screenshots go to
 * test-artifacts/referee-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../../testing/chromium';
import { noChromiumReason } from '../../../testing/environment';
import { ARTIFACTS, type ServedApp, serveTestApp } from './served-app';

const available = chromiumAvailable('example-web-app: the Chromium referee test');

describe.skipIf(!available)(`the referee's pages in Chromium${available ? '' : `: skipped, ${noChromiumReason()}`}`, () => {
  let served: ServedApp;
  let browser: Browser;
  let site: string;

  beforeAll(async () => {
    // The demo program as shipped: a $5.00 welcome credit for the referred customer.
    served = await serveTestApp({ welcomeReward: 500 });
    ({ browser, site } = served);
  }, 60_000);

  afterAll(async () => {
    await served?.close();
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px: a friend's link acknowledged, the code applied or refused, a partial refund confirmed, the payout method's own fields`, async () => {
      const consoleErrors: string[] = [];
      const contexts: BrowserContext[] = [];
      const open = async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        contexts.push(context);
        const page = await context.newPage();
        page.on('console', (message) => {
          if (message.type() !== 'error') return;
          const at = message.location().url;
          // A form shown again with its errors answers 400, as every form of the app does, and Chromium logs the document's status.
          if (at === page.url() && message.text().endsWith('status of 400 (Bad Request)')) return;
          consoleErrors.push(`${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
        return page;
      };
      /** The page fits the width (no horizontal scrolling); a full-page screenshot is kept. */
      const check = async (page: Page, name: string) => {
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        const wide = await page.evaluate(() =>
          Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth)
            .map((el) => `${el.tagName}#${el.id}.${el.className}`),
        );
        expect(scrollWidth, `${name} at ${width} px is ${scrollWidth} px wide: ${wide.join(', ')}`).toBeLessThanOrEqual(innerWidth);
        await page.screenshot({ path: new URL(`referee-${name}-${width}.png`, ARTIFACTS).pathname, fullPage: true });
      };
      const mail = (who: string) => `${who}.${width}@example.com`;

      // Ada, the referrer, signs up and finds her link.
      const ada = await open();
      await ada.goto(`${site}/signup`);
      await ada.fill('#name', `Ada ${width}`);
      await ada.fill('#email', mail('ada'));
      await ada.fill('#password', 'correct horse');
      await ada.click('main button');
      await ada.waitForURL(`${site}/dashboard`);
      const link = (await ada.inputValue('#referral-link')).replace(/^http:\/\/[^/]+/, site);
      const code = new URL(link).searchParams.get('ref')!;

      // Bob arrives through her link: he is told who invited him, what he gets and what qualifies it.
      const bob = await open();
      await bob.goto(link);
      const invitation = bob.locator('#invitation');
      expect(await invitation.locator('h2').textContent()).toBe(`Ada ${width} invited you to Hopshop`);
      expect(await invitation.locator('[data-testid=benefit]').textContent()).toBe('a $5.00 welcome credit');
      expect(await invitation.textContent()).toContain('when you make your first payment');
      await check(bob, 'landing');
      await bob.click('main a.button');
      await bob.waitForURL(`${site}/signup`);
      expect(await bob.inputValue('#referralCode')).toBe(code);
      await bob.fill('#name', 'Bob');
      await bob.fill('#email', mail('bob'));
      await bob.fill('#password', 'correct horse');
      await bob.click('main button');
      await bob.waitForURL(`${site}/dashboard`);
      expect(await bob.locator('[data-outcome]').getAttribute('data-outcome')).toBe('applied');
      expect(await bob.locator('#referee-status li[data-done=true]').count()).toBe(1);
      await check(bob, 'dashboard-applied');

      // Bob pays: the referral qualifies and his welcome credit is applied.
      await bob.goto(`${site}/checkout`);
      await bob.click('button[data-plan=starter]');
      expect(await bob.locator('[role=status]').textContent()).toContain('purchase (recorded)');
      await bob.goto(`${site}/dashboard`);
      expect(await bob.locator('#referee-status li[data-done=true]').count()).toBe(3);
      expect(await bob.locator('#referee-status').textContent()).toContain('Welcome credit of $5.00 credited to your balance');
      await check(bob, 'dashboard-credited');

      // He is refunded $10.00 of the $49.00, after confirming.
      await bob.goto(`${site}/checkout`);
      const row = bob.locator('tr[data-payment]');
      await row.locator('input[name=amount]').fill('10');
      await check(bob, 'checkout');
      await row.locator('button:has-text("Refund")').click();
      expect(await bob.locator('h1').textContent()).toBe('Refund $10.00?');
      expect(await bob.locator('main').textContent()).toContain('$39.00 stays refundable');
      await check(bob, 'refund-confirm');
      await bob.click('#confirm-refund button');
      expect(await bob.locator('[role=status]').textContent()).toContain('refund');
      expect(await bob.locator('tr[data-payment] td.num').nth(1).textContent()).toBe('$10.00');
      // The refund takes back the same share of his welcome credit: $5.00 − $1.02.
      await bob.goto(`${site}/dashboard`);
      expect(await bob.locator('#referee-status').textContent()).toContain('Welcome credit of $3.98 credited to your balance');

      // Ada signs up again under another address of hers, through her own link: refused, told plainly.
      const again = await open();
      await again.goto(link);
      await again.click('main a.button');
      await again.fill('#name', 'Ada again');
      await again.fill('#email', `ada.${width}+again@example.com`);
      await again.fill('#password', 'correct horse');
      await again.click('main button');
      await again.waitForURL(`${site}/dashboard`);
      const refused = again.locator('[data-outcome]');
      expect(await refused.getAttribute('data-outcome')).toBe('own-code');
      expect(await refused.textContent()).toBe(
        'Your account is ready, but the referral was not applied: a referral code cannot be used by the person it belongs to. You will not get the welcome reward; everything else works as usual.',
      );
      await check(again, 'refused');

      // Ada's dashboard: rates say what they divide; nothing to withdraw yet, so no payout request.
      await ada.reload();
      expect(await ada.locator('[data-testid=signup-conversion] + span').textContent()).toBe('sign-ups → paying (1 of 1 sign-ups)');
      expect(await ada.locator('#request-payout button').isDisabled()).toBe(true);
      expect(await ada.locator('#payout-blocked').textContent()).toContain('Nothing is withdrawable yet');
      // The balance cards and the link box, the earnings table and the payout boxes, do not touch.
      const bottom = async (selector: string) => (await ada.locator(selector).first().boundingBox())!;
      const cards = await bottom('.cards >> nth=1');
      const linkBox = await bottom('section.box:has(#referral-link)');
      expect(linkBox.y - (cards.y + cards.height)).toBeGreaterThanOrEqual(12);
      const table = await bottom('#earnings');
      const payoutBox = await bottom('section.box:has(#payout-method)');
      expect(payoutBox.y - (table.y + table.height)).toBeGreaterThanOrEqual(12);

      // The payout-method form shows the chosen method's fields only, and checks the IBAN.
      expect(await ada.locator('#email').isVisible()).toBe(true);
      expect(await ada.locator('#iban').isVisible()).toBe(false);
      await ada.selectOption('#type', 'bank_transfer');
      expect(await ada.locator('#email').isVisible()).toBe(false);
      expect(await ada.locator('#iban').isVisible()).toBe(true);
      await ada.fill('#accountHolder', `Ada ${width}`);
      await ada.fill('#iban', 'DE89 3704 0044 0532 0130 01');
      await ada.click('#payout-method button');
      expect(await ada.locator('[data-error-for=iban]').textContent()).toBe('has wrong check digits (mistyped?)');
      expect(await ada.locator('#iban').isVisible()).toBe(true);
      await check(ada, 'payout-method-error');
      await ada.fill('#iban', 'DE89 3704 0044 0532 0130 00');
      await ada.click('#payout-method button');
      expect(await ada.locator('[role=status]').first().textContent()).toBe('Payout method saved.');
      expect(await ada.inputValue('#iban')).toBe('DE89370400440532013000');
      await ada.selectOption('#type', 'store_credit');
      expect(await ada.locator('#iban').isVisible()).toBe(false);
      expect(await ada.locator('[data-method=store_credit]').isVisible()).toBe(true);
      await check(ada, 'dashboard');

      expect(consoleErrors).toEqual([]);
      for (const context of contexts) await context.close();
    }, 180_000);
  }
});
