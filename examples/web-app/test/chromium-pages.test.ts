/**
 * Every page of the app in Chromium, as the person who sees it (a visitor,
 * a referrer, a referred customer, the admin), at 1280 px and 390 px wide,
 * and 360 px for the overflow check: no page scrolls sideways, none logs a
 * console error, and axe-core finds no serious or critical accessibility
 * violation. Screenshots of every page at both widths go to test-artifacts/.
 */
import axe from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../../testing/chromium';
import { noChromiumReason } from '../../../testing/environment';
import { seedDemoData } from '../src/seed';
import { SECRETS } from './helpers';
import { ARTIFACTS, type ServedApp, serveTestApp } from './served-app';

const available = chromiumAvailable('example-web-app: the Chromium page sweep');

type Role = 'visitor' | 'referrer' | 'referee' | 'admin';

interface Visit {
  /** The screenshot's name. */
  name: string;
  as: Role;
  /** Opens the page (a plain visit, or a few steps to reach a state of it). */
  open: (page: Page, site: string) => Promise<unknown>;
  /**
   * The page's HTTP status when not 200: a form shown again with its errors
   * answers 400, which Chromium logs as a failed load of that very page (and
   * only that is excused).
   */
  status?: 400;
}

const to = (path: string) => (page: Page, site: string) => page.goto(`${site}${path}`);

const VISITS: Visit[] = [
  { name: 'landing', as: 'visitor', open: to('/') },
  { name: 'landing-with-code', as: 'visitor', open: to('/?ref=ADA2026') },
  { name: 'signup', as: 'visitor', open: to('/signup?ref=ADA2026') },
  {
    name: 'signup-with-errors',
    as: 'visitor',
    open: async (page, site) => {
      await page.goto(`${site}/signup`);
      await page.fill('#email', 'not-an-email');
      await page.click('main button');
      await page.waitForSelector('[data-error-for=email]');
    },
    status: 400,
  },
  { name: 'signin', as: 'visitor', open: to('/signin') },
  { name: 'pricing', as: 'visitor', open: to('/checkout') },
  { name: 'admin-signin', as: 'visitor', open: to('/admin/signin') },
  { name: 'referrer-dashboard', as: 'referrer', open: to('/dashboard') },
  { name: 'referrer-pricing', as: 'referrer', open: to('/checkout') },
  { name: 'referee-dashboard', as: 'referee', open: to('/dashboard') },
  { name: 'checkout-with-payments', as: 'referee', open: to('/checkout') },
  { name: 'admin', as: 'admin', open: to('/admin') },
  {
    name: 'admin-older-activity',
    as: 'admin',
    open: async (page, site) => {
      await page.goto(`${site}/admin`);
      await Promise.all([page.waitForURL(/[?&]after=/), page.click('#activity-pages a[rel=next]')]);
    },
  },
];

/** Widths checked, and whether the page is screenshotted and run through axe at that width. */
const WIDTHS = [
  { width: 1280, full: true },
  { width: 390, full: true },
  { width: 360, full: false },
] as const;

describe.skipIf(!available)(`every page in Chromium${available ? '' : `: skipped, ${noChromiumReason()}`}`, () => {
  let served: ServedApp;
  const contexts = new Map<Role, BrowserContext>();

  async function signIn(context: BrowserContext, site: string, email: string) {
    const page = await context.newPage();
    await page.goto(`${site}/signin`);
    await page.fill('#email', email);
    await page.fill('#password', 'demo-password');
    await Promise.all([page.waitForURL(`${site}/dashboard`), page.click('main button')]);
    return page;
  }

  beforeAll(async () => {
    served = await serveTestApp();
    const { t, browser, site } = served;
    // A month of history: referrers with earnings, a paid payout, one waiting for approval, a long activity feed.
    await seedDemoData(t.db, t.program);
    for (const role of ['visitor', 'referrer', 'referee', 'admin'] as const) contexts.set(role, await browser.newContext());
    (await signIn(contexts.get('referrer')!, site, 'ada@example.com')).close();
    // Ada's first referred customer buys Lifetime: a payment to refund on their checkout, a commission held for review.
    const referee = await signIn(contexts.get('referee')!, site, 'customer1@example.com');
    await referee.goto(`${site}/checkout`);
    await Promise.all([referee.waitForURL(`${site}/checkout`), referee.click('button[data-plan=lifetime]')]);
    await referee.close();
    const admin = await contexts.get('admin')!.newPage();
    await admin.goto(`${site}/admin/signin`);
    await admin.fill('#token', SECRETS.adminToken);
    await Promise.all([admin.waitForURL(`${site}/admin`), admin.click('main button')]);
    await admin.close();
    // Seeding a month of history and signing in (scrypt) take a while when the whole suite shares the machine.
  }, 300_000);

  afterAll(async () => {
    await served?.close();
  });

  for (const visit of VISITS) {
    it(`${visit.name} (as ${visit.as}) fits 1280, 390 and 360 px, logs no error, and passes axe`, async () => {
      const page = await contexts.get(visit.as)!.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const excused = visit.status && message.location().url === page.url() && message.text().includes(`status of ${visit.status}`);
        if (!excused) problems.push(`console error: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      try {
        for (const { width, full } of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await visit.open(page, served.site);
          await page.waitForLoadState('networkidle');
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          if (scrollWidth > innerWidth) problems.push(`${width} px: the page is ${scrollWidth} px wide`);
          if (!full) continue;
          // The icon the layout links to is there (a missing one is a failed load in every browser that asks).
          const icon = await page.evaluate(async () => {
            const href = document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href;
            return href ? (await fetch(href)).status : 'no icon link';
          });
          if (icon !== 200) problems.push(`${width} px: the icon answers ${icon}`);
          await page.screenshot({ path: new URL(`${visit.name}-${width}.png`, ARTIFACTS).pathname, fullPage: true });
          await page.addScriptTag({ content: axe.source });
          const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
          for (const v of violations) {
            if (v.impact === 'serious' || v.impact === 'critical')
              problems.push(`${width} px: axe ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          }
        }
      } finally {
        await page.close();
      }
      expect(problems).toEqual([]);
    }, 180_000);
  }
});

declare global {
  interface Window {
    axe: typeof axe;
  }
}
