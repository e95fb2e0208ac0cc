/**
 * The whole flow in a real browser: Debian's Chromium driven by
 * playwright-core, against the app served on 127.0.0.1 (as hopshop.test, so
 * cookies behave as on a real domain). Screenshots of both dashboards are
 * written to test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../../testing/chromium';
import { noChromiumReason } from '../../../testing/environment';
import { SECRETS, type TestApp } from './helpers';
import { ARTIFACTS, type ServedApp, serveTestApp } from './served-app';

const available = chromiumAvailable('example-web-app: the Chromium test');

describe.skipIf(!available)(`the reference app in Chromium${available ? '' : `: skipped, ${noChromiumReason()}`}`, () => {
  let served: ServedApp;
  let t: TestApp;
  let browser: Browser;
  let site: string;

  beforeAll(async () => {
    // No holding period, so the approved commission can be paid out in the same test.
    served = await serveTestApp({ holdingDays: 0 });
    ({ t, browser, site } = served);
  }, 60_000);

  afterAll(async () => {
    await served?.close();
  });

  const card = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`).first().textContent();
  const notice = (page: Page) => page.locator('[role=status]').textContent();

  it('land with a code → sign up → check out → commission → refund → admin approves a held commission and a payout', async () => {
    // Ada, the referrer, signs up and finds her link.
    const ada = await (await browser.newContext()).newPage();
    await ada.goto(`${site}/signup`);
    await ada.fill('#name', 'Ada Lovelace');
    await ada.fill('#email', 'ada@example.com');
    await ada.fill('#password', 'correct horse');
    await ada.click('main button');
    await ada.waitForURL(`${site}/dashboard`);
    const link = await ada.inputValue('#referral-link');
    expect(link).toMatch(/\/\?ref=[A-Z0-9]+$/);
    const code = new URL(link).searchParams.get('ref')!;
    await expect(ada.locator('#qr svg').count()).resolves.toBe(1);

    // Bob lands through her link: the snippet keeps the code and records the click.
    const bobContext = await browser.newContext();
    const bob = await bobContext.newPage();
    await bob.goto(link.replace(/^http:\/\/[^/]+/, site));
    await expect.poll(async () => (await bobContext.cookies()).find((c) => c.name === 'onehop_ref')?.value ?? '').toMatch(new RegExp(`^${code}\\.`));
    await expect.poll(() => t.count('onehop.clicks')).toBe(1);
    expect(new URL(bob.url()).search).toBe(''); // the code was tidied from the address bar
    await bob.click('text=Sign up');
    await bob.waitForURL(`${site}/signup`);
    expect(await bob.inputValue('#referralCode')).toBe(code);
    await bob.fill('#name', 'Bob');
    await bob.fill('#email', 'not-an-email');
    await bob.fill('#password', 'correct horse');
    await bob.click('main button');
    expect(await bob.locator('[data-error-for=email]').textContent()).toContain('Enter an email address');
    expect(await bob.inputValue('#referralCode')).toBe(code);
    await bob.fill('#email', 'bob@example.com');
    await bob.fill('#password', 'correct horse');
    await bob.click('main button');
    await bob.waitForURL(`${site}/dashboard`);

    // Bob pays for Starter: the signed webhook is verified and the commission appears on Ada's dashboard.
    await bob.goto(`${site}/checkout`);
    await bob.click('button[data-plan=starter]');
    expect(await notice(bob)).toContain('verified and applied: purchase (recorded)');
    await ada.reload();
    expect(await card(ada, 'clicks')).toBe('1');
    expect(await card(ada, 'referrals')).toBe('1');
    expect(await card(ada, 'pending')).toBe('$9.80');
    expect(await ada.locator('#earnings tr[data-commission]').count()).toBe(1);
    expect(await ada.locator('#earnings tr[data-commission] [data-status]').textContent()).toBe('pending');
    await ada.screenshot({ path: new URL('referrer-dashboard-after-purchase.png', ARTIFACTS).pathname, fullPage: true });

    // Bob is refunded: the commission is reversed.
    await bob.click('tr[data-payment] button:has-text("Refund")');
    await bob.click('#confirm-refund button'); // a refund is confirmed first
    expect(await notice(bob)).toContain('refund');
    await ada.reload();
    expect(await ada.locator('#earnings tr[data-commission] [data-status]').textContent()).toBe('reversed');
    expect(await card(ada, 'pending')).toBe('$0.00');

    // Bob buys Lifetime: a $199.80 commission is above the review threshold and held.
    await bob.click('button[data-plan=lifetime]');
    expect(await notice(bob)).toContain('purchase (recorded)');
    await ada.reload();
    expect(await card(ada, 'on-hold')).toBe('$199.80');

    // The admin pages refuse a visitor without the admin check.
    const admin = await (await browser.newContext()).newPage();
    const refused = await admin.goto(`${site}/admin`);
    expect(refused!.status()).toBe(401);
    await admin.fill('#token', 'not the token');
    await admin.click('main button');
    expect(await admin.locator('[data-error-for=token]').textContent()).toContain('not the admin token');
    await admin.fill('#token', SECRETS.adminToken);
    await admin.click('main button');
    await admin.waitForURL(`${site}/admin`);

    // The admin approves the held commission, with a reason; the holding period (none here) then ends.
    const review = admin.locator('#reviews tr[data-review]');
    expect(await review.textContent()).toContain('HIGH_VALUE_COMMISSION');
    await review.locator('button[value=approve]').click();
    expect(await admin.locator('[role=alert]').first().textContent()).toContain('Give a reason');
    await admin.locator('#reviews tr[data-review] input[name=reason]').fill('Lifetime plan, paid by card');
    await admin.locator('#reviews tr[data-review] button[value=approve]').click();
    expect(await notice(admin)).toBe('Review approved.');
    await admin.click('text=Approve commissions past their holding period');
    expect(await notice(admin)).toBe('1 commission approved.');

    // Ada asks for her money.
    await ada.reload();
    expect(await card(ada, 'withdrawable')).toBe('$199.80');
    await ada.selectOption('#type', 'paypal');
    await ada.fill('#payout-method #email', 'ada@example.com');
    await ada.click('#payout-method button');
    expect(await notice(ada)).toBe('Payout method saved.');
    await ada.click('#request-payout button');
    expect(await notice(ada)).toContain('Payout of $199.80 requested');

    // The admin approves the payout and marks it paid.
    await admin.goto(`${site}/admin`);
    await admin.locator('#payout-requests tr[data-payout] button:has-text("Approve")').click();
    expect(await notice(admin)).toBe('Payout approved.');
    await admin.locator('#payouts-approved input[name=reference]').fill('PAYPAL-7788');
    await admin.locator('#payouts-approved button').click();
    expect(await notice(admin)).toBe('Payout marked paid.');
    expect(await admin.locator('#activity').textContent()).toContain('payout.paid');
    await admin.screenshot({ path: new URL('admin-dashboard.png', ARTIFACTS).pathname, fullPage: true });

    await ada.reload();
    // Every form redirected after it succeeded: reloading posts nothing again.
    expect(await ada.locator('[role=alert]').count()).toBe(0);
    expect(await card(ada, 'paid')).toBe('$199.80');
    expect(await card(ada, 'withdrawable')).toBe('$0.00');
    expect(await ada.locator('#payouts [data-status]').first().textContent()).toBe('paid');
    await ada.screenshot({ path: new URL('referrer-dashboard.png', ARTIFACTS).pathname, fullPage: true });

    // What the database holds agrees with the pages.
    const { rows } = await t.db.sql.query(`SELECT status, amount::int AS amount, reversed_amount::int AS reversed FROM onehop.commissions ORDER BY seq`);
    expect(rows).toEqual([
      { status: 'reversed', amount: 980, reversed: 980 },
      { status: 'paid', amount: 19_980, reversed: 0 },
    ]);
    console.log(`example-web-app: screenshots in ${ARTIFACTS.pathname}`);
  }, 120_000);
});
