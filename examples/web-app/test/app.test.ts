/**
 * The app's pages over HTTP, on PGlite in memory: who may see what, every
 * form's validation, and the sign-up's single transaction.
 */
import { createOnehop } from '@onehop/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appContext } from '../src/context';
import { money, percent } from '../src/html';
import { checkoutCompleted, sign } from '../src/pretend-stripe';
import { seedDemoData } from '../src/seed';
import { asAdmin } from '../src/session';
import { cookiesOf, postForm, SECRETS, startTestApp, type TestApp } from './helpers';

const ONEHOP_TABLES = [
  'onehop.participants',
  'onehop.referrals',
  'onehop.source_events',
  'onehop.commissions',
  'onehop.ledger_entries',
  'onehop.audit_trail',
  'onehop.outbox',
];

describe('the reference app', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const counts = async () => Object.fromEntries(await Promise.all([...ONEHOP_TABLES, 'app.users'].map(async (table) => [table, await t.count(table)] as const)));

  async function signUp(form: Record<string, string>) {
    const res = await postForm(t.app, '/signup', { password: 'correct horse', ...form });
    return { res, cookie: cookiesOf(res) };
  }

  it('signs a referred visitor up in one transaction: the user row, their own code and the referral', async () => {
    const ada = await signUp({ name: 'Ada', email: 'ada@example.com' });
    expect(ada.res.status).toBe(303);
    const page = await (await t.app.request('/dashboard', { headers: { cookie: ada.cookie } })).text();
    const code = /\?ref=([A-Z0-9]+)/.exec(page)![1]!;

    const bob = await signUp({ name: 'Bob', email: 'Bob@Example.com', referralCode: code.toLowerCase() });
    expect(bob.res.status).toBe(303);
    expect(await t.count('app.users')).toBe(2);
    const { rows } = await t.db.sql.query(`SELECT r.status, u.email FROM onehop.referrals r JOIN app.users u ON u.id = r.referee_id`);
    expect(rows).toEqual([{ status: 'pending', email: 'bob@example.com' }]);
  });

  it('an invitation link opens the sign-up with its token; signing up accepts it', async () => {
    await signUp({ name: 'Ada', email: 'ada@example.com' });
    const adaId = ((await t.db.sql.query(`SELECT id FROM app.users WHERE email = 'ada@example.com'`)).rows[0] as { id: string }).id;
    const { link, invitation } = await t.onehop.invite({ inviterId: adaId, email: 'cleo@example.com', baseUrl: 'http://localhost/signup' });
    const url = new URL(link);
    const form = await (await t.app.request(`${url.pathname}${url.search}`)).text();
    const token = /name="invite" value="([^"]+)"/.exec(form)![1]!;
    expect(token).toBe(url.searchParams.get('invite'));
    const cleo = await signUp({ name: 'Cleo', email: 'cleo@example.com', invite: token });
    expect(cleo.res.status).toBe(303);
    expect((await t.onehop.listInvitations({ inviterId: adaId })).map((i) => [i.id, i.status])).toEqual([[invitation.id, 'accepted']]);
    expect(await t.onehop.listReferrals(adaId)).toHaveLength(1);
  });

  it('the sign-up form pre-fills the code the snippet stored, and the one in the address', async () => {
    const fromCookie = await (await t.app.request('/signup', { headers: { cookie: `onehop_ref=ABCD2345.${Date.now().toString(36)}.newsletter` } })).text();
    expect(fromCookie).toMatch(/name="referralCode" type="text" value="ABCD2345"/);
    const fromQuery = await (await t.app.request('/signup?ref=WXYZ6789')).text();
    expect(fromQuery).toMatch(/name="referralCode" type="text" value="WXYZ6789"/);
  });

  it('a sign-up with a mistyped code shows the error and writes nothing, in the app or in onehop', async () => {
    const before = await counts();
    const { res } = await signUp({ name: 'Bob', email: 'bob@example.com', referralCode: 'NOSUCH99' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('No one has this referral code');
    // onehop's audit line of the refused attribution rolled back with the user row.
    expect(await counts()).toEqual(before);
  });

  it('every sign-up and sign-in field is validated, with the error beside it', async () => {
    const bad = await signUp({ name: ' ', email: 'not-an-email', password: 'short' });
    expect(bad.res.status).toBe(400);
    const html = await bad.res.text();
    expect(html).toContain('data-error-for="name">Enter your name.');
    expect(html).toContain('data-error-for="email">Enter an email address');
    expect(html).toContain('data-error-for="password">Use at least 8 characters.');
    await signUp({ name: 'Ada', email: 'ada@example.com' });
    const again = await signUp({ name: 'Ada 2', email: 'ADA@example.com' });
    expect(await again.res.text()).toContain('An account with this email exists');
    const wrong = await postForm(t.app, '/signin', { email: 'ada@example.com', password: 'wrong password' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That email and password do not match an account.');
    const right = await postForm(t.app, '/signin', { email: 'ada@example.com', password: 'correct horse' });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/dashboard');
  });

  it('two sign-ups racing with one email: one account, and the other is told to sign in', async () => {
    const results = await Promise.all([signUp({ name: 'Ada', email: 'ada@example.com' }), signUp({ name: 'Ada again', email: 'ada@example.com' })]);
    expect(results.map((r) => r.res.status).sort()).toEqual([303, 400]);
    expect(await results.find((r) => r.res.status === 400)!.res.text()).toContain('An account with this email exists');
    expect(await t.count('app.users')).toBe(1);
    expect(await t.count('onehop.participants')).toBe(1);
  });

  it('a referrer sees only their own dashboard; a changed session cookie counts as none', async () => {
    const ada = await signUp({ name: 'Ada', email: 'ada@example.com' });
    const bob = await signUp({ name: 'Bob', email: 'bob@example.com' });
    const adaPage = await (await t.app.request('/dashboard', { headers: { cookie: ada.cookie } })).text();
    const bobPage = await (await t.app.request('/dashboard', { headers: { cookie: bob.cookie } })).text();
    const adaCode = /\?ref=([A-Z0-9]+)/.exec(adaPage)![1]!;
    expect(bobPage).not.toContain(adaCode);
    expect(bobPage).toContain('Bob');

    expect((await t.app.request('/dashboard')).status).toBe(303);
    // Ada's cookie with Bob's id put in: the signature no longer matches.
    const bobId = /hopshop_session=([^.;]+)/.exec(bob.cookie)![1]!;
    const forged = ada.cookie.replace(/hopshop_session=[^.;]+/, `hopshop_session=${bobId}`);
    const res = await t.app.request('/dashboard', { headers: { cookie: forged } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin');
  });

  it('the payout forms validate their input and show onehop’s errors with what to do', async () => {
    const ada = await signUp({ name: 'Ada', email: 'ada@example.com' });
    const badMethod = await postForm(t.app, '/dashboard/payout-method', { type: 'paypal', email: 'nope' }, ada.cookie);
    expect(badMethod.status).toBe(400);
    expect(await badMethod.text()).toContain('data-error-for="email">must be an email address');
    expect((await postForm(t.app, '/dashboard/payout-method', { type: 'paypal', email: 'ada@example.com' }, ada.cookie)).status).toBe(303);
    const badAmount = await postForm(t.app, '/dashboard/payouts', { amount: '12.345' }, ada.cookie);
    expect(await badAmount.text()).toContain('data-error-for="amount">Enter an amount like 25 or 25.50.');
    const tooLittle = await postForm(t.app, '/dashboard/payouts', { amount: '25' }, ada.cookie);
    expect(tooLittle.status).toBe(400);
    expect(await tooLittle.text()).toMatch(/role="alert">[^<]*withdrawable/);
    expect(await t.count('onehop.payouts')).toBe(0);
  });

  it('admin pages and actions are refused without the admin check, and nothing runs', async () => {
    for (const [method, path] of [
      ['GET', '/admin'],
      ['POST', '/admin/approve-due'],
      ['POST', '/admin/payouts/pay_x/approve'],
      ['POST', '/admin/reviews/rev_x'],
    ] as const) {
      const res = await t.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await res.text()).toContain('Sign in as an admin');
    }
    expect((await t.app.request('/admin', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const wrong = await postForm(t.app, '/admin/signin', { token: 'guess' });
    expect(wrong.status).toBe(401);
    expect(await t.count('onehop.audit_trail')).toBe(0);

    expect((await t.app.request('/admin', { headers: { authorization: `Bearer ${SECRETS.adminToken}` } })).status).toBe(200);
    const signedIn = await postForm(t.app, '/admin/signin', { token: SECRETS.adminToken });
    expect(signedIn.status).toBe(303);
    expect((await t.app.request('/admin', { headers: { cookie: cookiesOf(signedIn) } })).status).toBe(200);
    // A signed-in referrer is not an admin.
    const ada = await signUp({ name: 'Ada', email: 'ada@example.com' });
    expect((await t.app.request('/admin', { headers: { cookie: ada.cookie } })).status).toBe(401);
  });

  it('the engine takes an admin action only inside a signed-in admin’s request, as that admin', async () => {
    await t.onehop.enroll({ userId: 'u_ref' });
    await t.onehop.adjustBalance({ userId: 'u_ref', amount: 3_000, adminId: 'setup', reason: 'test balance' });
    await t.onehop.setPayoutMethod({ userId: 'u_ref', method: { type: 'store_credit' } });
    const payout = await t.onehop.requestPayout({ userId: 'u_ref' });
    // The app's own engine, called outside an admin request (as a referrer's page or a stray script would).
    const engine = appContext({ db: t.db, program: t.program, ...SECRETS }).onehop;
    await expect(engine.approvePayout({ payoutId: payout.id, adminId: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN', action: 'payout.approve' });
    // Inside an admin's request, but naming another admin.
    await expect(asAdmin('admin', () => engine.rejectPayout({ payoutId: payout.id, adminId: 'mallory', reason: 'x' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.onehop.getPayout(payout.id)).toMatchObject({ status: 'requested' });

    const res = await t.app.request(`/admin/payouts/${payout.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${SECRETS.adminToken}` } });
    expect(res.status).toBe(303);
    expect(await t.onehop.getPayout(payout.id)).toMatchObject({ status: 'approved', decidedBy: 'admin' });
    expect((await t.onehop.auditTrail('payout', payout.id)).map((a) => [a.action, a.actor.id, a.data?.action ?? null])).toEqual([
      ['payout.requested', 'u_ref', null],
      ['authorization.refused', 'admin', 'payout.approve'],
      ['authorization.refused', 'mallory', 'payout.reject'],
      ['payout.approved', 'admin', null],
    ]);
  });

  it('the admin starts a payout run, and sees the payouts a provider is processing or refused', async () => {
    for (const [userId, amount] of [
      ['u_one', 2_000],
      ['u_two', 3_000],
      ['u_none', 2_500],
    ] as const) {
      await t.onehop.enroll({ userId });
      await t.onehop.adjustBalance({ userId, amount, adminId: 'setup', reason: 'test balance' });
    }
    await t.onehop.setPayoutMethod({ userId: 'u_one', method: { type: 'paypal', email: 'one@example.com' } });
    await t.onehop.setPayoutMethod({ userId: 'u_two', method: { type: 'store_credit' } });
    const admin = { authorization: `Bearer ${SECRETS.adminToken}` };
    const started = await t.app.request('/admin/payout-run', { method: 'POST', headers: admin });
    expect(started.status).toBe(303);
    const after = await t.app.request(started.headers.get('location')!, { headers: { ...admin, cookie: cookiesOf(started) } });
    const notice = (await after.text()).match(/Payout run [^<]*/)?.[0];
    expect(notice).toMatch(/^Payout run run_[\w-]+: 2 payouts of \$50\.00 approved, 1 left out\.$/);
    expect((await t.onehop.listPayouts('u_one'))[0]).toMatchObject({ status: 'approved', decidedBy: 'admin' });

    // A worker sends them: PayPal refuses one, the store credit is accepted and waits for the application.
    const worker = createOnehop({
      store: t.db.store,
      program: t.program,
      payoutProviders: [
        { name: 'paypal', methodType: 'paypal', send: async () => ({ status: 'failed', reason: 'RECEIVER_UNCONFIRMED', retryable: false }) },
        { name: 'credit', methodType: 'store_credit', send: async ({ idempotencyKey }) => ({ status: 'processing', externalReference: `credit-${idempotencyKey}` }) },
      ],
    });
    expect(await worker.sendPayouts()).toMatchObject({ failed: 1, processing: 1 });
    const page = await (await t.app.request('/admin', { headers: admin })).text();
    const table = page.slice(page.indexOf('id="payouts-in-flight"'));
    expect(table).toContain('processing');
    expect(table).toContain('failed');
    expect(table).toContain('RECEIVER_UNCONFIRMED');
  });

  it('a webhook with a bad signature is refused and writes nothing', async () => {
    await signUp({ name: 'Ada', email: 'ada@example.com' });
    const before = await counts();
    const { event } = checkoutCompleted('u_someone', 4_900, 'usd', new Date());
    for (const secret of ['whsec_not_the_endpoint_secret', SECRETS.stripeWebhookSecret]) {
      const signed = sign(event, secret);
      const body = secret === SECRETS.stripeWebhookSecret ? signed.payload.replace('4900', '490000') : signed.payload; // the right secret, a changed body
      const res = await t.app.request('/webhooks/stripe', { method: 'POST', body, headers: { 'stripe-signature': signed.signature } });
      expect(res.status).toBe(400);
    }
    expect((await t.app.request('/webhooks/stripe', { method: 'POST', body: JSON.stringify(event) })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('the admin’s review and payout forms need a reason or a reference', async () => {
    const admin = { authorization: `Bearer ${SECRETS.adminToken}`, 'content-type': 'application/x-www-form-urlencoded' };
    const review = await t.app.request('/admin/reviews/rev_1', { method: 'POST', headers: admin, body: 'decision=approve&reason=' });
    expect(review.status).toBe(400);
    expect(await review.text()).toContain('Give a reason: it is kept in the audit trail.');
    const paid = await t.app.request('/admin/payouts/pay_1/paid', { method: 'POST', headers: admin, body: 'reference=' });
    expect(await paid.text()).toContain('Enter the transfer reference');
    const missing = await t.app.request('/admin/reviews/rev_1', { method: 'POST', headers: admin, body: 'decision=approve&reason=looks+fine' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/role="alert">[^<]*rev_1/);
  });
});

describe('the admin’s activity feed, funnel and icon', () => {
  // One seeded app for the tests that only read it; the time-zone test starts its own.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.db, t.program);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const ADMIN = { authorization: `Bearer ${SECRETS.adminToken}` };
  const adminPage = async (path = '/admin') => {
    const res = await t.app.request(path, { headers: ADMIN });
    expect(res.status).toBe(200);
    return res.text();
  };
  /** The feed's rows, as [audit line id, the row's cells as text]. */
  const feedRows = (page: string) =>
    [...page.matchAll(/<tr data-activity="([^"]+)">([\s\S]*?)<\/tr>/g)].map(
      ([, id, row]) =>
        [
          id!,
          [...row!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(([, cell]) =>
            cell!
              .replace(/<[^>]+>/g, '')
              .replace(/&#39;/g, "'")
              .trim(),
          ),
        ] as const,
    );
  const olderLink = (page: string) => /<a href="(\/admin\?after=[^"#]+)[^"]*" rel="next">/.exec(page)?.[1];

  it('pages through the whole audit trail on the engine’s cursor, 20 lines a page, newest first, each line once', async () => {
    const total = await t.count('onehop.audit_trail');
    expect(total).toBeGreaterThan(60);
    const newestFirst = (await t.onehop.recentActivity({ limit: 200 })).map((a) => a.id);

    const seen: string[] = [];
    let path: string | undefined = '/admin';
    let pages = 0;
    while (path) {
      const page = await adminPage(path);
      const rows = feedRows(page);
      expect(rows.length).toBe(Math.min(20, total - seen.length));
      seen.push(...rows.map(([id]) => id));
      // Every page but the first links back to the newest.
      expect(page.includes('rel="first"')).toBe(pages > 0);
      path = olderLink(page);
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(total / 20));
    expect(seen).toEqual(newestFirst);
  });

  it('says what each line is about, the amount and who did it, not the bare action and “admin admin”', async () => {
    const rows = new Map(feedRows(await adminPage()));
    const activity = await t.onehop.recentActivity({ limit: 20 });

    const paidCommission = activity.find((a) => a.action === 'commission.paid')!;
    const commission = (await t.onehop.getCommission(paidCommission.entityId))!;
    const refereeName = (await t.db.sql.query('SELECT name FROM app.users WHERE id = $1', [commission.refereeId])).rows[0] as { name: string };
    const [, what, about, amount, who] = rows.get(paidCommission.id)!;
    expect(what).toBe('commission.paid');
    expect(about).toBe(`commission to Ada Lovelace for ${refereeName.name}'s purchase`);
    expect(amount).toBe(money(commission.amount));
    expect(who).toBe('Admin');

    const paidPayout = activity.find((a) => a.action === 'payout.paid')!;
    const payout = (await t.onehop.getPayout(paidPayout.entityId))!;
    expect(rows.get(paidPayout.id)!.slice(1)).toEqual(['payout.paid', 'payout to Ada Lovelace', money(payout.amount), 'Admin']);

    // Grace asked for her own payout: she is who, by name.
    const requested = activity.find((a) => a.action === 'payout.requested' && a.actor.id === 'u_demo_grace')!;
    expect(rows.get(requested.id)!.slice(1)).toEqual([
      'payout.requested',
      'payout to Grace Hopper',
      money((await t.onehop.getPayout(requested.entityId))!.amount),
      'Grace Hopper',
    ]);
  });

  it('shows every time in the program’s time zone, with the zone', async () => {
    // The demo program's zone is UTC, and says so.
    for (const [, [when]] of feedRows(await adminPage())) expect(when).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    // The seed records its last day at a known time: 2026-06-30 12:00 UTC.
    const now = new Date('2026-07-01T12:00:00Z');
    for (const [timeZone, shown] of [
      ['America/New_York', '2026-06-30 08:00 EDT'],
      ['Asia/Kolkata', '2026-06-30 17:30 GMT+5:30'],
    ] as const) {
      const zoned = await startTestApp({ timeZone });
      try {
        await seedDemoData(zoned.db, zoned.program, now);
        const page = await (await zoned.app.request('/admin', { headers: ADMIN })).text();
        expect(page).toContain(`Times are in the program's time zone, ${timeZone}.`);
        const [line] = await zoned.onehop.recentActivity({ limit: 1 });
        expect(feedRows(page)[0]![0]).toBe(line!.id);
        expect(feedRows(page)[0]![1][0]).toBe(shown);
        expect(page).toContain(`<time datetime="2026-06-30T12:00:00.000Z">${shown}</time>`);
      } finally {
        await zoned.close();
      }
    }
  }, 60_000);

  it('a cursor the engine refuses shows the newest page and says so; one of no line shows an empty page that links back', async () => {
    const refused = await adminPage(`/admin?after=${'x'.repeat(65)}`);
    expect(refused).toContain('That page of the activity feed does not exist');
    expect(feedRows(refused).map(([id]) => id)).toEqual((await t.onehop.recentActivity({ limit: 20 })).map((a) => a.id));
    const unknown = await adminPage('/admin?after=aud_no_such_line');
    expect(feedRows(unknown)).toEqual([]);
    expect(unknown).toContain('No activity older than this.');
    expect(unknown).toContain('<a href="/admin#activity-feed" rel="first">Newest activity</a>');
  });

  it('draws the funnel of the last 30 days with the conversion between steps', async () => {
    const page = await adminPage();
    const funnel = /<section class="box" id="funnel"[\s\S]*?<\/section>/
      .exec(page)![0]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    const now = new Date();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const figures = await t.onehop.funnel({ from: new Date(to.getTime() - 30 * 86_400_000), to });
    expect(figures.clicks).toBeGreaterThan(figures.signups);
    expect(funnel).toContain(
      `Clicks ${figures.clicks} ↓ ${percent(figures.clickToSignupBps)} of clicks signed up Sign-ups ${figures.signups} ↓ ${percent(figures.signupToQualifiedBps)} of sign-ups qualified`,
    );
  });

  it('serves the icon every page links to', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await t.app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toMatch(/^<svg /);
    }
    expect(await (await t.app.request('/signin')).text()).toContain('<link rel="icon" href="/favicon.svg"');
  });
});
