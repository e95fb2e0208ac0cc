/**
 * The visitor's side: the landing page with the referral snippet (and what
 * a visitor who came through a friend's link is offered), sign-up with the
 * referral code pre-filled and its outcome told, sign-in, and the pretend
 * checkout (partial refunds, disputes, each confirmed first).
 */

import { createClickHandler, readReferral } from '@onehop/browser/server';
import { isOnehopError, type ReferralOffer } from '@onehop/core';
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { nanoid } from 'nanoid';
import * as z from 'zod';
import {
  authenticate,
  emailTaken,
  getPayment,
  getUser,
  hashPassword,
  insertPayment,
  insertUser,
  isDuplicateEmail,
  listPayments,
  markDisputed,
  type Payment,
  saveRefunds,
  type User,
} from '../accounts';
import { amountField } from '../amount-field';
import { type App, formOf, onehopErrors, redirectWithNotice, takeNotice, zodErrors } from '../context';
import { type FieldErrors, field, formError, layout, money } from '../html';
import { chargeRefunded, checkoutCompleted, disputeCreated, invoicePaid, sign } from '../pretend-stripe';
import { PLANS, type PlanId } from '../program';
import { benefitText, criteriaText } from '../referee-benefits';
import { keepReferralOutcome, type ReferralOutcome, refusalOf } from '../referral-outcome';
import { currentUserId, signIn, signOut } from '../session';
import { loadSnippet } from '../snippet';

const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(80, 'At most 80 characters.'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'Enter an email address, like ada@example.com.' }).max(320)),
  password: z.string().min(8, 'Use at least 8 characters.').max(200),
  referralCode: z.string().trim().max(64, 'A code is at most 64 characters.').default(''),
  invite: z.string().trim().max(64).default(''),
});

const signInSchema = z.object({ email: z.string().trim().toLowerCase().min(1, 'Enter your email.'), password: z.string().min(1, 'Enter your password.') });

/** Where to go after signing in: a path of this site only, never another host. */
const nextPath = (value: string | undefined) => (value && /^\/(?![/\\])/.test(value) ? value : '/dashboard');

/** Thrown inside the sign-up transaction to roll it back and show the form again. */
class FormRejected extends Error {
  constructor(readonly errors: FieldErrors) {
    super('form rejected');
  }
}

export async function signedInUser(app: App, c: Context): Promise<User | null> {
  const id = await currentUserId(c, app);
  return id ? getUser(app.db.sql, id) : null;
}

export function publicRoutes(app: App): Hono {
  const routes = new Hono();

  routes.get('/onehop.min.js', async (c) =>
    c.body(await loadSnippet(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }),
  );

  // The snippet's beacon: one click per landing with a code.
  routes.post('/api/onehop/click', (c) => createClickHandler(app.onehop, { ip: () => app.ipOf(c) ?? null })(c.req.raw));

  /** What onehop offers a visitor with this code; a code onehop refuses to read (too long) offers nothing. */
  const offerFor = async (code: string): Promise<ReferralOffer | null> => {
    try {
      return await app.onehop.referralOffer({ code });
    } catch (error) {
      if (isOnehopError(error)) return null;
      throw error;
    }
  };

  /** The landing page's answer to a friend's link: who invited the visitor, what they get, what qualifies them. */
  const invitation = async (code: string, user: User | null) => {
    if (user) return html`<p class="notice" role="status" id="invitation">You are signed in already: referral links are for new accounts.</p>`;
    const offer = await offerFor(code);
    if (!offer?.valid) {
      return html`<p class="alert" role="status" id="invitation">
        The referral link you followed cannot be used: the code is mistyped or no longer active. You can still sign up; no one will be credited for it.
      </p>`;
    }
    const name = offer.referrer?.userId ? (await getUser(app.db.sql, offer.referrer.userId))?.name : undefined;
    const who = name ?? (offer.referrer ? html`The owner of the code <code>${offer.referrer.code}</code>` : 'A friend');
    const benefit = benefitText(offer);
    return html`<section class="box invitation" id="invitation" data-code="${offer.code}">
      <h2>${who} invited you to Hopshop</h2>
      ${
        benefit
          ? html`<p>Sign up with their code and you get <b data-testid="benefit">${benefit}</b> ${criteriaText(offer.criteria, offer.currency)}.</p>`
          : html`<p>Sign up with their code: they are thanked ${criteriaText(offer.criteria, offer.currency)}.</p>`
      }
      <p class="muted">Your code <code>${offer.code}</code> is kept for you on the sign-up form.</p>
    </section>`;
  };

  routes.get('/', async (c) => {
    const user = await signedInUser(app, c);
    // The code in the address, or (after the snippet tidied the address bar) the one it kept.
    const code = c.req.query('ref') ?? readReferral(c.req.raw)?.code;
    return c.html(
      layout(
        {
          title: 'Welcome',
          user,
          // Stores ?ref= in a first-party cookie for the sign-up, records the click, and tidies the address bar.
          head: html`<script src="/onehop.min.js" data-beacon="/api/onehop/click" data-strip></script>`,
        },
        html`<h1>Hopshop: the tool your team already wanted</h1>
          ${code ? await invitation(code, user) : ''}
          <p>Plans from ${money(PLANS.pro.amount)} a month. Came through a friend's link? Their code is kept for you when you sign up.</p>
          <p class="actions"><a class="button" href="/signup">Sign up</a> <a href="/checkout">See pricing</a></p>`,
      ),
    );
  });

  const signUpPage = (c: Context, values: Record<string, string>, errors?: FieldErrors) =>
    c.html(
      layout(
        { title: 'Sign up' },
        html`<h1>Create your account</h1>
          ${formError(errors)}
          <form method="post" action="/signup" novalidate>
            ${field('name', 'Name', { value: values.name, errors, attrs: 'autocomplete="name"' })}
            ${field('email', 'Email', { type: 'email', value: values.email, errors, attrs: 'autocomplete="email"' })}
            ${field('password', 'Password (8 characters or more)', { type: 'password', errors, attrs: 'autocomplete="new-password"' })}
            ${field('referralCode', 'Referral code (optional)', { value: values.referralCode, errors })}
            <input type="hidden" name="invite" value="${values.invite ?? ''}" />
            <p><button>Sign up</button></p>
          </form>
          <p class="muted">Have an account? <a href="/signin">Sign in</a>.</p>`,
      ),
      errors ? 400 : 200,
    );

  routes.get('/signup', (c) => {
    // The code the snippet stored at landing, or one typed into the address.
    const stored = readReferral(c.req.raw);
    return signUpPage(c, { referralCode: stored?.code ?? c.req.query('ref') ?? '', invite: c.req.query('invite') ?? '' });
  });

  routes.post('/signup', async (c) => {
    const form = await formOf(c);
    const parsed = signUpSchema.safeParse(form);
    if (!parsed.success) return signUpPage(c, form, zodErrors(parsed.error));
    const data = parsed.data;
    if (await emailTaken(app.db.sql, data.email)) return signUpPage(c, form, { email: 'An account with this email exists: sign in instead.' });
    const stored = readReferral(c.req.raw);
    const ip = app.ipOf(c);
    const userId = `u_${nanoid(12)}`;
    // Hashed before the transaction opens, so it holds no connection for the work of scrypt.
    const passwordHash = await hashPassword(data.password);
    let outcome: ReferralOutcome | undefined;
    try {
      // The user row and onehop's referral commit together, or neither does.
      await app.db.transaction(async (client, store) => {
        const onehop = app.engineOn(store);
        await insertUser(client, { id: userId, email: data.email, name: data.name, passwordHash });
        await onehop.enroll({ userId, email: data.email });
        const signals = { refereeId: userId, email: data.email, ...(ip ? { ip } : {}), userAgent: c.req.header('user-agent')?.slice(0, 1024) };
        if (data.invite) {
          const accepted = await onehop.acceptInvitation({ ...signals, token: data.invite });
          outcome = accepted.ok ? 'applied' : refusalOf(accepted.reason);
        } else if (data.referralCode) {
          const sameCode = stored !== null && stored.code === data.referralCode.toUpperCase();
          const result = await onehop.attribute({
            ...signals,
            code: data.referralCode,
            // The landing's channel and time only belong to the code the visitor arrived with.
            ...(sameCode && stored.source ? { source: stored.source } : {}),
            ...(sameCode ? { clickedAt: stored.firstSeenAt } : {}),
          });
          // A mistyped code is the visitor's to fix; any other refusal (fraud
          // rules, an expired click) is audited by onehop, the sign-up goes on,
          // and the person is told in plain words, without the rule's details.
          if (!result.ok && result.reason === 'UNKNOWN_CODE') {
            throw new FormRejected({ referralCode: 'No one has this referral code. Check it, or leave the field empty.' });
          }
          outcome = result.ok ? 'applied' : refusalOf(result.reason);
        }
      });
    } catch (error) {
      if (error instanceof FormRejected) return signUpPage(c, form, error.errors);
      if (isDuplicateEmail(error)) return signUpPage(c, form, { email: 'An account with this email exists: sign in instead.' });
      return signUpPage(c, form, onehopErrors(error, { code: 'referralCode', token: 'form' }));
    }
    await signIn(c, app, userId);
    // The dashboard tells whether the code was applied.
    if (outcome) keepReferralOutcome(c, outcome);
    return c.redirect('/dashboard', 303);
  });

  const signInPage = (c: Context, values: Record<string, string>, errors?: FieldErrors) =>
    c.html(
      layout(
        { title: 'Sign in' },
        html`<h1>Sign in</h1>
          ${formError(errors)}
          <form method="post" action="/signin" novalidate>
            ${field('email', 'Email', { type: 'email', value: values.email, errors, attrs: 'autocomplete="email"' })}
            ${field('password', 'Password', { type: 'password', errors, attrs: 'autocomplete="current-password"' })}
            <input type="hidden" name="next" value="${nextPath(values.next)}" />
            <p><button>Sign in</button></p>
          </form>
          <p class="muted">New here? <a href="/signup">Create an account</a>.</p>`,
      ),
      errors ? 400 : 200,
    );

  routes.get('/signin', (c) => signInPage(c, { next: nextPath(c.req.query('next')) }));

  routes.post('/signin', async (c) => {
    const form = await formOf(c);
    const parsed = signInSchema.safeParse(form);
    if (!parsed.success) return signInPage(c, form, zodErrors(parsed.error));
    const user = await authenticate(app.db.sql, parsed.data.email, parsed.data.password);
    if (!user) return signInPage(c, form, { form: 'That email and password do not match an account.' });
    // The fraud rules compare a referee's sign-up address with those their referrer signs in from.
    const ip = app.ipOf(c);
    if (ip) await app.onehop.recordSignIn({ userId: user.id, ip });
    await signIn(c, app, user.id);
    return c.redirect(nextPath(form.next), 303);
  });

  routes.post('/signout', (c) => {
    signOut(c);
    return c.redirect('/', 303);
  });

  // ------------------------------------------------------------ pretend checkout

  const checkoutPage = async (c: Context, user: User | null, notice?: string, errors?: FieldErrors) => {
    const payments = user ? await listPayments(app.db.sql, user.id) : [];
    return c.html(
      layout(
        { title: 'Pricing', user },
        html`<h1>Pricing</h1>
          <p class="muted">A pretend checkout: paying sends the webhooks Stripe would send, signed with the endpoint secret, to this app's <code>/webhooks/stripe</code>.</p>
          ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''} ${formError(errors)}
          ${user ? '' : html`<p id="checkout-sign-in">Have an account? <a href="/signin?next=/checkout">Sign in to buy</a>. New here? <a href="/signup">Sign up</a>.</p>`}
          <div class="cards">
            ${(Object.keys(PLANS) as PlanId[]).map(
              (id) => html`<div class="card">
                <b>${PLANS[id].name}</b><span>${money(PLANS[id].amount)} ${PLANS[id].billing}</span>
                ${
                  user
                    ? html`<form method="post" action="/checkout"><input type="hidden" name="plan" value="${id}" /><p><button data-plan="${id}">Pay ${money(PLANS[id].amount)}</button></p></form>`
                    : html`<p><a href="/signin?next=/checkout">Sign in</a> or <a href="/signup">sign up</a> to buy</p>`
                }
              </div>`,
            )}
          </div>
          ${
            user && payments.length > 0
              ? html`<h2>Your payments</h2>
                <div class="scroll"><table id="payments">
                  <tr><th>Payment</th><th class="num">Amount</th><th class="num">Refunded</th></tr>
                  ${payments.map((p) => {
                    const left = leftToRefund(p);
                    return html`<tr data-payment="${p.id}" class="payment">
                      <td><b>${PLANS[p.plan as PlanId]?.name ?? p.plan}</b> <code class="muted">${p.id}</code></td><td class="num">${money(p.amount)}</td><td class="num">${money(p.amount - left)}</td>
                    </tr>
                    <tr data-payment="${p.id}">
                      <td colspan="3"><div class="payment-actions">
                        ${
                          left > 0
                            ? html`<form class="inline" method="post" action="/checkout/payments/${p.id}/refund">
                                <input name="amount" inputmode="decimal" size="7" placeholder="${decimal(left)}" aria-label="Amount to refund, at most ${money(left)} (empty: all of it)" />
                                <button class="secondary">Refund…</button>
                              </form>`
                            : html`<span class="status">refunded</span>`
                        }
                        ${p.disputed ? html`<span class="status">disputed</span>` : html`<form class="inline" method="post" action="/checkout/payments/${p.id}/dispute"><button class="danger">Dispute…</button></form>`}
                      </div></td>
                    </tr>`;
                  })}
                </table></div>`
              : ''
          }`,
      ),
      errors ? 400 : 200,
    );
  };

  /** Cents as the decimal a person types (4900 → "49.00"), in integers only. */
  const decimal = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

  /** What is left to refund of a payment, in cents. */
  const leftToRefund = (p: Payment) => p.amount - p.refunds.reduce((sum, r) => sum + r.amount, 0);

  /** The page that asks before a refund or a dispute is sent: it posts the same form again, confirmed. */
  const confirmPage = (c: Context, user: User, p: Payment, action: 'refund' | 'dispute', amount: number) =>
    c.html(
      layout(
        { title: action === 'refund' ? 'Confirm the refund' : 'Confirm the dispute', user },
        html`<h1>${action === 'refund' ? `Refund ${money(amount)}?` : 'Dispute this payment?'}</h1>
          <p>
            ${
              action === 'refund'
                ? `${money(amount)} of the ${money(p.amount)} payment ${p.id} goes back to the card${amount < leftToRefund(p) ? `; ${money(leftToRefund(p) - amount)} stays refundable` : ''}. The referrer's commission on it is reduced by the same share.`
                : `A dispute of the ${money(p.amount)} payment ${p.id} is sent, as a card holder's bank would open one. The referrer's commission on it is reversed while it lasts.`
            }
            This cannot be undone.
          </p>
          <form method="post" action="/checkout/payments/${p.id}/${action}" id="confirm-${action}" class="row-actions">
            ${action === 'refund' ? html`<input type="hidden" name="amount" value="${decimal(amount)}" />` : ''}
            <input type="hidden" name="confirm" value="yes" />
            <button class="${action === 'refund' ? 'secondary' : 'danger'}">${action === 'refund' ? `Yes, refund ${money(amount)}` : 'Yes, open the dispute'}</button>
            <a href="/checkout">No, go back</a>
          </form>`,
      ),
    );

  /** Signs an event with the endpoint secret and posts it to the webhook, as Stripe does. */
  const deliver = async (c: Context, event: object): Promise<{ ok: boolean; body: Record<string, unknown> }> => {
    const signed = sign(event, app.stripeWebhookSecret);
    const response = await fetch(app.webhookUrl ?? new URL('/webhooks/stripe', c.req.url), {
      method: 'POST',
      body: signed.payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    });
    return { ok: response.ok, body: (await response.json()) as Record<string, unknown> };
  };

  const outcome = (body: Record<string, unknown>) => {
    const result = ((body.outcome as Record<string, unknown> | undefined)?.result ?? {}) as Record<string, unknown>;
    const type = String((body.billingEvent as Record<string, unknown> | undefined)?.type);
    const what = body.status === 'handled' ? ({ payment_succeeded: 'purchase', dispute_opened: 'chargeback' }[type] ?? type) : String(body.status);
    return `The webhook was verified and applied: ${what}${result.status ? ` (${String(result.status)})` : ''}.`;
  };

  routes.get('/checkout', async (c) => checkoutPage(c, await signedInUser(app, c), takeNotice(c)));

  routes.post('/checkout', async (c) => {
    const user = await signedInUser(app, c);
    if (!user) return c.redirect('/signin?next=/checkout', 303);
    const plan = (await formOf(c)).plan as PlanId;
    if (!(plan in PLANS)) return checkoutPage(c, user, undefined, { form: 'Choose one of the plans.' });
    const now = new Date();
    const { paymentIntent, event } =
      PLANS[plan].billing === 'monthly' ? invoicePaid(user.id, PLANS[plan].amount, 'USD', now) : checkoutCompleted(user.id, PLANS[plan].amount, 'USD', now);
    await insertPayment(app.db.sql, { id: paymentIntent, userId: user.id, plan, amount: PLANS[plan].amount, createdAt: now });
    const sent = await deliver(c, event);
    if (!sent.ok) return checkoutPage(c, user, undefined, { form: 'The webhook was refused.' });
    return redirectWithNotice(c, '/checkout', `Payment received. ${outcome(sent.body)}`);
  });

  routes.post('/checkout/payments/:id/:action{refund|dispute}', async (c) => {
    const user = await signedInUser(app, c);
    if (!user) return c.redirect('/signin?next=/checkout', 303);
    // Only the signed-in user's own payments.
    const payment = await getPayment(app.db.sql, user.id, c.req.param('id'));
    if (!payment) return checkoutPage(c, user, undefined, { form: 'No such payment.' });
    const form = await formOf(c);
    const action = c.req.param('action') as 'refund' | 'dispute';
    const now = new Date();
    let event: object;
    if (action === 'refund') {
      const left = leftToRefund(payment);
      if (left <= 0) return checkoutPage(c, user, undefined, { form: 'This payment is refunded already.' });
      const parsed = amountField(2).safeParse(form.amount ?? '');
      if (!parsed.success) return checkoutPage(c, user, undefined, { form: `Refund of ${payment.id}: ${parsed.error.issues[0]?.message}` });
      const amount = parsed.data ?? left;
      if (amount <= 0) return checkoutPage(c, user, undefined, { form: `Refund of ${payment.id}: enter an amount above zero.` });
      if (amount > left) return checkoutPage(c, user, undefined, { form: `Refund of ${payment.id}: at most ${money(left)} is left to refund.` });
      if (form.confirm !== 'yes') return confirmPage(c, user, payment, 'refund', amount);
      const refunds = [...payment.refunds, { id: `re_${nanoid(14)}`, amount, created: Math.floor(now.getTime() / 1000) }];
      await saveRefunds(app.db.sql, payment.id, refunds);
      event = chargeRefunded(payment.id, payment.amount, refunds, now);
    } else {
      if (payment.disputed) return checkoutPage(c, user, undefined, { form: 'This payment is disputed already.' });
      if (form.confirm !== 'yes') return confirmPage(c, user, payment, 'dispute', payment.amount);
      await markDisputed(app.db.sql, payment.id);
      event = disputeCreated(payment.id, payment.amount, now);
    }
    const sent = await deliver(c, event);
    if (!sent.ok) return checkoutPage(c, user, undefined, { form: 'The webhook was refused.' });
    return redirectWithNotice(c, '/checkout', outcome(sent.body));
  });

  return routes;
}
