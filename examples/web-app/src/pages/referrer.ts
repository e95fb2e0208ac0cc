/**
 * The referrer dashboard: a signed-in user sees their own figures only. The
 * user id always comes from the session, never from the request.
 */
import { currencyExponent, type PayoutMethod } from '@onehop/core';
import { type Context, Hono } from 'hono';
import { html, raw } from 'hono/html';
import { z } from 'zod';
import type { User } from '../accounts';
import { type App, formOf, onehopErrors, redirectWithNotice, takeNotice, zodErrors } from '../context';
import { card, day, type FieldErrors, field, formError, layout, money, percent } from '../html';
import { signedInUser } from './public';

const NETWORK_NAMES = { email: 'Email', x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', whatsapp: 'WhatsApp', telegram: 'Telegram' } as const;

/** A decimal amount typed by a person, in the program currency's minor units; empty means "everything withdrawable". */
const amountField = (exponent: number) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || new RegExp(`^\\d{1,9}(\\.\\d{1,${exponent}})?$`).test(s), exponent > 0 ? `Enter an amount like 25 or 25.50.` : 'Enter a whole amount.')
    .transform((s) => {
      if (s === '') return undefined;
      const [whole = '0', fraction = ''] = s.split('.');
      return Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
    });

const payoutMethodForm = z.object({
  type: z.enum(['paypal', 'wise', 'bank_transfer', 'store_credit'], { error: 'Choose how to be paid.' }),
  email: z.string().trim().default(''),
  accountHolder: z.string().trim().default(''),
  iban: z.string().trim().default(''),
});

type Env = { Variables: { user: User } };

export function referrerRoutes(app: App): Hono<Env> {
  const routes = new Hono<Env>();
  const currency = app.onehop.program.currency;
  const exponent = currencyExponent(currency);

  // Every page here needs a signed-in user.
  routes.use('/dashboard', async (c, next) => requireUser(c, next));
  routes.use('/dashboard/*', async (c, next) => requireUser(c, next));
  async function requireUser(c: Context<Env>, next: () => Promise<void>) {
    const user = await signedInUser(app, c);
    if (!user) return c.redirect('/signin', 303);
    c.set('user', user);
    await next();
  }

  async function page(c: Context, user: User, state: { errors?: FieldErrors; notice?: string; values?: Record<string, string> } = {}) {
    const { onehop } = app;
    const baseUrl = new URL('/', c.req.url).toString();
    const [overview, tier, commissions, method, payouts, shared, qr] = await Promise.all([
      onehop.referrerOverview({ userId: user.id }),
      onehop.tierProgress({ userId: user.id }),
      onehop.commissionHistory({ userId: user.id, limit: 25 }),
      onehop.getPayoutMethod(user.id),
      onehop.listPayouts(user.id, { limit: 10 }),
      onehop.shareLinksFor({ userId: user.id, baseUrl, text: 'I use Hopshop and like it. Sign up through my link:', subject: 'Try Hopshop', tagNetworks: true }),
      onehop.qrCodeFor({ userId: user.id, baseUrl, scale: 4 }),
    ]);
    const b = overview.balances;
    const m = (n: number) => money(n, currency);
    const errors = state.errors;
    const values = state.values ?? {};
    const methodValues: Record<string, string> = method ? { type: method.method.type, ...(method.method as Record<string, string>) } : {};
    const chosen = values.type ?? methodValues.type ?? 'paypal';
    return c.html(
      layout(
        { title: 'Your referrals', user },
        html`<h1>Your referrals</h1>
          ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''} ${formError(errors)}
          <div class="cards">
            ${card('clicks on your link', String(overview.clicks), 'clicks')}
            ${card(`sign-ups (${overview.referrals.qualified} paying)`, String(overview.referrals.total), 'referrals')}
            ${card('conversion', percent(overview.conversionBps))}
            ${card('earned, all time', m(overview.earnings.total), 'earned')}
          </div>
          <h2>Balance</h2>
          <div class="cards">
            ${card('pending (holding period)', m(b.pending), 'pending')} ${card('on hold (in review)', m(b.onHold), 'on-hold')}
            ${card('withdrawable', m(b.withdrawable), 'withdrawable')} ${card('requested', m(b.requested), 'requested')} ${card('paid out', m(b.paid), 'paid')}
            ${b.negativeCarry > 0 ? card('to be deducted from future earnings', m(b.negativeCarry)) : ''}
          </div>

          <div class="row">
            <section class="box">
              <h2>Your link</h2>
              <p><input type="text" id="referral-link" readonly value="${shared.link}" /> <button type="button" id="copy-link">Copy link</button></p>
              <p>Share on: ${Object.entries(shared.share).map(([network, url]) => html`<a href="${url}" target="_blank" rel="noopener" data-share="${network}">${NETWORK_NAMES[network as keyof typeof NETWORK_NAMES]}</a> · `)}</p>
              ${
                tier.tiered
                  ? html`<p>
                      Tier ${tier.tier + 1}: ${tier.rateBps === null ? m(tier.amount ?? 0) : percent(tier.rateBps)} of every purchase.
                      ${tier.nextFrom === null ? 'You are at the top tier.' : `${tier.nextFrom - tier.count} more paying referrals to the next tier.`}
                    </p>
                    <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(tier.progressBps / 100)}"><div style="width:${tier.progressBps / 100}%"></div></div>`
                  : ''
              }
            </section>
            <section class="box" style="flex:0 0 auto;min-width:0">
              <h2>QR code</h2>
              <!-- onehop draws it from the link: numbers and paths only. -->
              <div id="qr">${raw(qr)}</div>
            </section>
          </div>

          <h2>Earnings</h2>
          ${
            commissions.length === 0
              ? html`<p class="muted">No commissions yet: they appear when someone you referred pays.</p>`
              : html`<table id="earnings">
                <tr><th>Date</th><th>From</th><th>How</th><th class="num">Amount</th><th class="num">Reversed</th><th>Status</th></tr>
                ${commissions.map(
                  (cm) => html`<tr data-commission="${cm.id}">
                    <td>${day(cm.createdAt)}</td>
                    <td>${cm.kind === 'milestone_bonus' ? 'milestone bonus' : cm.kind === 'welcome_reward' ? 'welcome reward' : cm.sourceKind === 'purchase' ? `purchase of ${m(cm.calculation.baseAmount)}` : cm.sourceKind}</td>
                    <td>${cm.calculation.rateBps === undefined ? m(cm.calculation.fixedAmount ?? cm.amount) : percent(cm.calculation.rateBps)} (${cm.calculation.source})</td>
                    <td class="num">${m(cm.amount)}</td>
                    <td class="num">${cm.reversedAmount ? m(cm.reversedAmount) : ''}</td>
                    <td><span class="status" data-status="${cm.status}">${cm.status.replace('_', ' ')}</span></td>
                  </tr>`,
                )}
              </table>`
          }

          <div class="row">
            <section class="box">
              <h2>Payout method</h2>
              <form method="post" action="/dashboard/payout-method" novalidate id="payout-method">
                <label for="type">Method</label>
                <select id="type" name="type">
                  ${(
                    [
                      ['paypal', 'PayPal'],
                      ['wise', 'Wise'],
                      ['bank_transfer', 'Bank transfer (IBAN)'],
                      ['store_credit', 'Hopshop store credit'],
                    ] as const
                  ).map(([value, label]) => html`<option value="${value}" ${value === chosen ? 'selected' : ''}>${label}</option>`)}
                </select>
                ${field('email', 'PayPal or Wise email', { type: 'email', value: values.email ?? methodValues.email, errors })}
                ${field('accountHolder', 'Account holder (bank transfer)', { value: values.accountHolder ?? methodValues.accountHolder, errors })}
                ${field('iban', 'IBAN (bank transfer)', { value: values.iban ?? methodValues.iban, errors })}
                <p><button>Save payout method</button></p>
              </form>
            </section>
            <section class="box">
              <h2>Request a payout</h2>
              <p>Withdrawable now: <b>${m(b.withdrawable)}</b>. The smallest payout is ${m(app.onehop.program.payouts.minimumAmount)}.</p>
              <form method="post" action="/dashboard/payouts" novalidate id="request-payout">
                ${field('amount', `Amount in ${currency} (empty: everything withdrawable)`, { value: values.amount, errors })}
                <p><button>Request payout</button></p>
              </form>
              ${
                payouts.length > 0
                  ? html`<table id="payouts">
                    <tr><th>Requested</th><th class="num">Amount</th><th>Status</th><th>Reference</th></tr>
                    ${payouts.map(
                      (p) =>
                        html`<tr><td>${day(p.requestedAt)}</td><td class="num">${m(p.amount)}</td><td><span class="status" data-status="${p.status}">${p.status}</span>${p.statusReason ? html` <span class="muted">${p.statusReason}</span>` : ''}</td><td>${p.externalReference ?? ''}</td></tr>`,
                    )}
                  </table>`
                  : ''
              }
            </section>
          </div>
          <script>
            document.getElementById('copy-link').addEventListener('click', async (e) => {
              const link = document.getElementById('referral-link');
              link.select();
              try { await navigator.clipboard.writeText(link.value); } catch { document.execCommand('copy'); }
              e.target.textContent = 'Copied';
            });
          </script>`,
      ),
      errors ? 400 : 200,
    );
  }

  routes.get('/dashboard', (c) => page(c, c.get('user'), { notice: takeNotice(c) }));

  routes.post('/dashboard/payout-method', async (c) => {
    const user = c.get('user');
    const form = await formOf(c);
    const parsed = payoutMethodForm.safeParse(form);
    if (!parsed.success) return page(c, user, { errors: zodErrors(parsed.error), values: form });
    const d = parsed.data;
    const method: PayoutMethod =
      d.type === 'paypal' || d.type === 'wise'
        ? { type: d.type, email: d.email }
        : d.type === 'bank_transfer'
          ? { type: d.type, accountHolder: d.accountHolder, iban: d.iban }
          : { type: d.type };
    try {
      await app.onehop.setPayoutMethod({ userId: user.id, method });
    } catch (error) {
      return page(c, user, { errors: onehopErrors(error), values: form });
    }
    return redirectWithNotice(c, '/dashboard', 'Payout method saved.');
  });

  routes.post('/dashboard/payouts', async (c) => {
    const user = c.get('user');
    const form = await formOf(c);
    const parsed = z.object({ amount: amountField(exponent) }).safeParse({ amount: form.amount ?? '' });
    if (!parsed.success) return page(c, user, { errors: zodErrors(parsed.error), values: form });
    try {
      const payout = await app.onehop.requestPayout({ userId: user.id, ...(parsed.data.amount === undefined ? {} : { amount: parsed.data.amount }) });
      return redirectWithNotice(c, '/dashboard', `Payout of ${money(payout.amount, currency)} requested. An admin approves it.`);
    } catch (error) {
      return page(c, user, { errors: onehopErrors(error), values: form });
    }
  });

  return routes;
}
