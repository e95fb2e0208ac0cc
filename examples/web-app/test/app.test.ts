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
import { cookiesOf, postForm, SECRETS, serveTestApp, startTestApp, type TestApp } from './helpers';

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

describe('the referee’s way in, the referrer’s dashboard and the checkout', () => {
  let t: TestApp;
  beforeEach(async () => {
    // Served on a port, so the pretend checkout can post its webhooks to the app; the demo program as
    // shipped, with a $5.00 welcome credit for the referred customer.
    t = await serveTestApp({ welcomeReward: 500 });
  });
  afterEach(async () => {
    await t.close();
  });

  const get = async (path: string, cookie = '') => (await t.app.request(path, { headers: { cookie } })).text();
  const userId = async (email: string) => ((await t.db.sql.query(`SELECT id FROM app.users WHERE email = $1`, [email])).rows[0] as { id: string }).id;

  /** Signs up; answers the session cookie and the dashboard the sign-up redirects to (which tells the referral's outcome once). */
  async function signUp(form: Record<string, string>, cookie = '') {
    const res = await postForm(t.app, '/signup', { password: 'correct horse', ...form }, cookie);
    expect(res.status, await res.clone().text()).toBe(303);
    const first = await t.app.request(res.headers.get('location')!, { headers: { cookie: cookiesOf(res) } });
    const session = cookiesOf(res)
      .split('; ')
      .filter((c) => c.startsWith('hopshop_session='))
      .join('; ');
    // The outcome, once: the page that tells it deletes its cookie.
    if (cookiesOf(res).includes('hopshop_referral=')) expect(first.headers.getSetCookie().join()).toMatch(/hopshop_referral=;.*Max-Age=0/);
    return { cookie: session, dashboard: await first.text() };
  }

  async function ada() {
    const { cookie, dashboard } = await signUp({ name: 'Ada Lovelace', email: 'ada@example.com' });
    return { cookie, code: /\?ref=([A-Z0-9]+)/.exec(dashboard)![1]!, id: await userId('ada@example.com') };
  }

  /** A payment through the pretend checkout, as the signed-in user; answers the payment's id. */
  async function pay(cookie: string, plan = 'starter') {
    const res = await postForm(t.app, '/checkout', { plan }, cookie);
    expect(res.status).toBe(303);
    const page = await get('/checkout', cookie);
    return [...page.matchAll(/data-payment="([^"]+)"/g)].map((m) => m[1]!)[0]!;
  }

  it('a landing page reached with ?ref= names who invited the visitor, the welcome credit and what qualifies it', async () => {
    const { code } = await ada();
    const page = await get(`/?ref=${code.toLowerCase()}`);
    const invitation = page.slice(page.indexOf('id="invitation"'));
    expect(invitation).toContain('Ada Lovelace invited you to Hopshop');
    expect(invitation).toContain('you get <b data-testid="benefit">a $5.00 welcome credit</b> when you make your first payment.');
    expect(invitation).toContain(`<code>${code}</code> is kept for you`);
    // After the snippet tidied the address bar, the code it kept is acknowledged on a reload.
    const reload = await get('/', `onehop_ref=${code}.${Date.now().toString(36)}.newsletter`);
    expect(reload).toContain('Ada Lovelace invited you');
    // Looking is not a click, and records nothing.
    expect(await t.count('onehop.clicks')).toBe(0);
    // No button inside a link (invalid HTML): the sign-up call to action is a link styled as a button.
    expect(page).not.toMatch(/<a\b[^>]*>\s*<button/);
    expect(page).toContain('<a class="button" href="/signup">Sign up</a>');
  });

  it('a landing page with an unknown code, or a suspended referrer’s, says the link cannot be used and names no one', async () => {
    const { code, id } = await ada();
    for (const ref of ['NOSUCH99', 'x'.repeat(100)]) {
      const page = await get(`/?ref=${ref}`);
      expect(page).toMatch(/id="invitation">\s*The referral link you followed cannot be used/);
      expect(page).not.toContain('welcome credit');
    }
    await t.onehop.suspendParticipant({ userId: id, adminId: 'admin', reason: 'terms' });
    const suspended = await get(`/?ref=${code}`);
    expect(suspended).toContain('The referral link you followed cannot be used');
    expect(suspended).not.toContain('Ada');
    expect(suspended).not.toContain('suspended');
  });

  it('after sign-up the referee is told the code was applied, and sees eligibility, criteria, progress and the credit once applied', async () => {
    const referrer = await ada();
    const { code } = referrer;
    const bob = await signUp({ name: 'Bob', email: 'bob@example.com', referralCode: code });
    expect(bob.dashboard).toContain('data-outcome="applied">Your referral code was applied: you joined through Ada Lovelace’s invitation.');
    const status = bob.dashboard.slice(bob.dashboard.indexOf('id="referee-status"'));
    expect(status).toMatch(/^id="referee-status" data-eligible="true"/);
    expect(status).toContain('You get <b>a $5.00 welcome credit</b> when you make your first payment.');
    expect(status).toContain('<li data-done="true">✓ Signed up with the invitation</li>');
    expect(status).toContain('<li data-done="false">First payment (payments so far: 0)</li>');
    expect(status).toContain('<li data-done="false">Welcome credit of $5.00</li>');
    expect(status).toContain('aria-valuemax="3" aria-valuenow="1"');
    const again = await get('/dashboard', bob.cookie);
    expect(again).not.toContain('data-outcome');
    expect(again).toContain('id="referee-status"');

    await pay(bob.cookie);
    const after = await get('/dashboard', bob.cookie);
    const qualified = after.slice(after.indexOf('id="referee-status"'));
    expect(qualified).toContain('<li data-done="true">✓ First payment (payments so far: 1)</li>');
    expect(qualified).toContain('<li data-done="true">✓ Welcome credit of $5.00 credited to your balance</li>');
    expect(qualified).toContain('aria-valuenow="3"');
    // What Ada earned from Bob ($9.80 of his $49.00) is not on Bob's page.
    expect(after).not.toContain('$9.80');
    // A user nobody referred has no such section.
    expect(await get('/dashboard', referrer.cookie)).not.toContain('id="referee-status"');
  });

  it('a refused referral is told in plain words, without the fraud rule behind it: own code, expired link', async () => {
    const { code, id } = await ada();
    // Ada's own code, under another address of hers: onehop refuses it as a self-referral.
    const self = await signUp({ name: 'Ada again', email: 'ada+second@example.com', referralCode: code });
    expect(self.dashboard).toContain(
      'data-outcome="own-code">Your account is ready, but the referral was not applied: a referral code cannot be used by the person it belongs to.',
    );
    expect(self.dashboard).not.toMatch(/SELF_REFERRAL|fraud|match/i);
    // The admin's feed has the refusal with its reason.
    expect((await t.onehop.recentActivity()).map((a) => a.action)).toContain('attribution.rejected');

    // A click older than the program's 60-day window.
    const old = (Date.now() - 90 * 86_400_000).toString(36);
    const late = await signUp({ name: 'Cleo', email: 'cleo@example.com', referralCode: code }, `onehop_ref=${code}.${old}.newsletter`);
    expect(late.dashboard).toContain('data-outcome="expired">Your account is ready, but the referral was not applied: the referral link had expired.');
    expect(late.dashboard).not.toContain('CLICK_EXPIRED');
    expect(await t.onehop.listReferrals(id)).toEqual([]);
    // A cookie set to anything else is ignored.
    expect(await get('/dashboard', `${late.cookie}; hopshop_referral=toString`)).not.toContain('data-outcome');
    expect(await get('/dashboard', `${late.cookie}; hopshop_referral=used`)).toContain('data-outcome="used"');
  });

  it('the dashboard labels each rate with what it divides, and the share links end without a stray separator', async () => {
    const { cookie, code } = await ada();
    for (let i = 0; i < 4; i++) await t.onehop.recordClick({ code });
    await signUp({ name: 'Bob', email: 'bob@example.com', referralCode: code });
    const page = await get('/dashboard', cookie);
    expect(page).toMatch(/data-testid="click-conversion">25 %<\/b><span>clicks → sign-ups \(1 of 4 clicks\)/);
    expect(page).toMatch(/data-testid="signup-conversion">0 %<\/b><span>sign-ups → paying \(0 of 1 sign-ups\)/);
    const share = page.slice(page.indexOf('id="share"'), page.indexOf('</p>', page.indexOf('id="share"')));
    expect(share.match(/data-share=/g)).toHaveLength(6);
    expect(share.match(/ · /g)).toHaveLength(5);
    expect(share.trimEnd()).toMatch(/<\/a>$/);
  });

  it('the payout-method form shows the chosen method’s fields only, sends only those, and checks the IBAN', async () => {
    const { cookie, id } = await ada();
    const form = (page: string) => page.slice(page.indexOf('id="payout-method"'), page.indexOf('</form>', page.indexOf('id="payout-method"')));
    const first = form(await get('/dashboard', cookie));
    expect(first).toContain('<fieldset class="method" data-method="paypal wise" >');
    expect(first).toContain('<fieldset class="method" data-method="bank_transfer" hidden disabled>');

    const empty = await postForm(t.app, '/dashboard/payout-method', { type: 'bank_transfer', accountHolder: '', iban: '' }, cookie);
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(emptyPage).toContain('data-error-for="accountHolder">Enter the account holder’s name');
    expect(emptyPage).toContain('data-error-for="iban">Enter the IBAN');
    // The re-shown form keeps the bank fields open.
    expect(form(emptyPage)).toContain('<fieldset class="method" data-method="bank_transfer" >');
    // One digit off: the mod-97 check digits no longer match.
    const typo = await postForm(t.app, '/dashboard/payout-method', { type: 'bank_transfer', accountHolder: 'Ada Lovelace', iban: 'DE89 3704 0044 0532 0130 01' }, cookie);
    expect(typo.status).toBe(400);
    expect(await typo.text()).toContain('data-error-for="iban">has wrong check digits (mistyped?)');
    expect(await t.onehop.getPayoutMethod(id)).toBeNull();

    const saved = await postForm(
      t.app,
      '/dashboard/payout-method',
      { type: 'bank_transfer', accountHolder: 'Ada Lovelace', iban: 'de89 3704 0044 0532 0130 00', email: 'stale@example.com' },
      cookie,
    );
    expect(saved.status).toBe(303);
    expect((await t.onehop.getPayoutMethod(id))?.method).toEqual({ type: 'bank_transfer', accountHolder: 'Ada Lovelace', iban: 'DE89370400440532013000' });
    expect(form(await get('/dashboard', cookie))).toContain('<fieldset class="method" data-method="paypal wise" hidden disabled>');

    const noEmail = await postForm(t.app, '/dashboard/payout-method', { type: 'wise', iban: 'DE89370400440532013000' }, cookie);
    expect(await noEmail.text()).toContain('data-error-for="email">Enter the email of your Wise account.');
    expect((await postForm(t.app, '/dashboard/payout-method', { type: 'paypal', email: 'ada@example.com', iban: 'DE89370400440532013000' }, cookie)).status).toBe(303);
    expect((await t.onehop.getPayoutMethod(id))?.method).toEqual({ type: 'paypal', email: 'ada@example.com' });
  });

  it('"Request payout" is disabled with the reason until enough is withdrawable and a method is saved', async () => {
    const { cookie, id } = await ada();
    const button = async () => {
      const page = await get('/dashboard', cookie);
      const box = page.slice(page.indexOf('id="request-payout"'), page.indexOf('</form>', page.indexOf('id="request-payout"')));
      return { disabled: /<button disabled/.test(box), reason: /id="payout-blocked">([^<]*)/.exec(box)?.[1] ?? null };
    };
    expect(await button()).toEqual({ disabled: true, reason: 'Nothing is withdrawable yet: commissions become withdrawable when their holding period ends.' });
    await t.onehop.adjustBalance({ userId: id, amount: 1_500, adminId: 'setup', reason: 'test balance' });
    expect(await button()).toEqual({ disabled: true, reason: 'Withdrawable $15.00 is below the smallest payout, $20.00.' });
    await t.onehop.adjustBalance({ userId: id, amount: 1_000, adminId: 'setup', reason: 'test balance' });
    expect(await button()).toEqual({ disabled: true, reason: 'Save a payout method first.' });
    await t.onehop.setPayoutMethod({ userId: id, method: { type: 'store_credit' } });
    expect(await button()).toEqual({ disabled: false, reason: null });
  });

  it('the earnings table pages with the engine’s cursor: no line twice, none left out', async () => {
    const { cookie, code, id } = await ada();
    await t.onehop.enroll({ userId: 'u_buyer' });
    expect((await t.onehop.attribute({ refereeId: 'u_buyer', code })).ok).toBe(true);
    for (let i = 0; i < 13; i++)
      await t.onehop.recordPurchase({ eventId: `pi_page_${i}`, refereeId: 'u_buyer', amount: 1_000 + i, currency: 'USD', occurredAt: new Date() });
    const lines = (page: string) => [...page.matchAll(/data-commission="([^"]+)"/g)].map((m) => m[1]!);
    const first = await get('/dashboard', cookie);
    expect(lines(first)).toHaveLength(10);
    expect(first).not.toContain('id="earnings-newest"');
    const older = /href="([^"]+)" id="earnings-older"/.exec(first)![1]!;
    const second = await get(older.replace(/&amp;/g, '&'), cookie);
    expect(lines(second)).toHaveLength(3);
    expect(second).toContain('id="earnings-newest"');
    expect(second).not.toContain('id="earnings-older"');
    const all = (await t.onehop.commissionHistory({ userId: id, limit: 100 })).map((c) => c.id);
    expect([...lines(first), ...lines(second)]).toEqual(all);
    // A cursor the engine refuses gives the first page.
    expect(lines(await get('/dashboard?earnings=%00', cookie))).toEqual(lines(first));
  });

  it('checkout: a refund asks first, can be partial, and is checked against what is left', async () => {
    const { code, id } = await ada();
    const bob = await signUp({ name: 'Bob', email: 'bob@example.com', referralCode: code });
    const payment = await pay(bob.cookie);
    const refund = (form: Record<string, string>) => postForm(t.app, `/checkout/payments/${payment}/refund`, form, bob.cookie);
    const commission = async () => (await t.onehop.commissionHistory({ userId: id }))[0]!;

    // Asked first: nothing is sent until it is confirmed.
    const asked = await refund({ amount: '10' });
    expect(asked.status).toBe(200);
    const confirm = await asked.text();
    expect(confirm).toContain('Refund $10.00?');
    expect(confirm).toContain('$39.00 stays refundable');
    expect(confirm).toMatch(/<input type="hidden" name="amount" value="10.00" \/>\s*<input type="hidden" name="confirm" value="yes" \/>/);
    expect((await commission()).reversedAmount).toBe(0);

    for (const [amount, message] of [
      ['49.01', 'at most $49.00 is left to refund.'],
      ['0', 'enter an amount above zero.'],
      ['ten', 'Enter an amount like 25 or 25.50.'],
      ['1.234', 'Enter an amount like 25 or 25.50.'],
    ] as const) {
      const res = await refund({ amount, confirm: 'yes' });
      expect(res.status, amount).toBe(400);
      expect(await res.text()).toContain(`Refund of ${payment}: ${message}`);
    }
    expect((await commission()).reversedAmount).toBe(0);

    expect((await refund({ amount: '10', confirm: 'yes' })).status).toBe(303);
    // $10.00 of $49.00 refunded: the referrer's 20 % commission of $9.80 is reduced by $2.00.
    expect((await commission()).reversedAmount).toBe(200);
    expect(await get('/checkout', bob.cookie)).toMatch(/\$49\.00<\/td><td class="num">\$10\.00<\/td>/);
    const over = await refund({ amount: '39.01', confirm: 'yes' });
    expect(await over.text()).toContain('at most $39.00 is left to refund.');
    // Empty: all that is left.
    expect(await (await refund({})).text()).toContain('Refund $39.00?');
    expect((await refund({ confirm: 'yes' })).status).toBe(303);
    expect((await commission()).reversedAmount).toBe(980);
    expect(await get('/checkout', bob.cookie)).toContain('<span class="status">refunded</span>');
  });

  it('checkout: a dispute asks first; a signed-out visitor is offered a sign-in that comes back to the checkout', async () => {
    await ada();
    const bob = await signUp({ name: 'Bob', email: 'bob@example.com' });
    const payment = await pay(bob.cookie);
    const asked = await postForm(t.app, `/checkout/payments/${payment}/dispute`, {}, bob.cookie);
    expect(await asked.text()).toContain('Dispute this payment?');
    expect(await get('/checkout', bob.cookie)).not.toContain('<span class="status">disputed</span>');
    expect((await postForm(t.app, `/checkout/payments/${payment}/dispute`, { confirm: 'yes' }, bob.cookie)).status).toBe(303);
    expect(await get('/checkout', bob.cookie)).toContain('<span class="status">disputed</span>');

    const signedOut = await get('/checkout');
    expect(signedOut).toContain('<a href="/signin?next=/checkout">Sign in to buy</a>');
    const form = await get('/signin?next=/checkout');
    expect(form).toContain('name="next" value="/checkout"');
    const back = await postForm(t.app, '/signin', { email: 'bob@example.com', password: 'correct horse', next: '/checkout' });
    expect(back.headers.get('location')).toBe('/checkout');
    // Only a path of this site.
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await postForm(t.app, '/signin', { email: 'bob@example.com', password: 'correct horse', next });
      expect(res.headers.get('location'), next).toBe('/dashboard');
    }
  });
});

describe('the admin’s activity feed, funnel and icon', () => {
  // One seeded app for the tests that only read it; the time-zone test starts its own.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.db, t.program);
  }, 300_000);
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
  }, 300_000);

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
