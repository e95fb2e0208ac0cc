/**
 * The referrer dashboard: a signed-in user sees their own figures only. The
 * user id always comes from the session, never from the request. A user who
 * was referred also sees their own side of it (`refereeStatus`).
 */
import { type Balances, currencyExponent, isOnehopError, type PayoutMethod, type RefereeStatus } from '@onehop/core';
import { type Context, Hono } from 'hono';
import { html, raw } from 'hono/html';
import * as z from 'zod';
import { getUser, type User } from '../accounts';
import { amountField } from '../amount-field';
import { type App, formOf, onehopErrors, redirectWithNotice, takeNotice, zodErrors } from '../context';
import { card, day, type FieldErrors, field, formError, layout, money, percent } from '../html';
import { benefitText, criteriaText } from '../referee-benefits';
import { type ReferralOutcome, refusalMessage, takeReferralOutcome } from '../referral-outcome';
import { signedInUser } from './public';

const NETWORK_NAMES = { email: 'Email', x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', whatsapp: 'WhatsApp', telegram: 'Telegram' } as const;

/**
 * The payout method form: only the chosen method's fields count, and each
 * must be filled in. The formats (an e-mail address, the IBAN's country,
 * length and mod-97 check digits) are onehop's rules, checked by
 * `setPayoutMethod` and shown beside the field.
 */
const required = (message: string) => z.string({ error: message }).trim().min(1, message);
const payoutMethodForm = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('paypal'), email: required('Enter the email of your PayPal account.') }),
    z.object({ type: z.literal('wise'), email: required('Enter the email of your Wise account.') }),
    z.object({
      type: z.literal('bank_transfer'),
      accountHolder: required('Enter the account holder’s name, as the bank knows it.'),
      iban: required('Enter the IBAN, like DE89 3704 0044 0532 0130 00.'),
    }),
    z.object({ type: z.literal('store_credit') }),
  ],
  { error: 'Choose how to be paid.' },
);

const METHODS = [
  ['paypal', 'PayPal'],
  ['wise', 'Wise'],
  ['bank_transfer', 'Bank transfer (IBAN)'],
  ['store_credit', 'Hopshop store credit'],
] as const;

/** Earnings lines per page. */
const EARNINGS_PAGE = 10;

/** a of b in basis points, rounded (integers only). */
const shareBps = (a: number, b: number) => Math.round((a * 10_000) / b);

/** Why a payout cannot be requested now, or null when it can. */
function payoutBlocked(b: Balances, minimum: number, hasMethod: boolean, m: (n: number) => string): string | null {
  if (b.withdrawable <= 0) return 'Nothing is withdrawable yet: commissions become withdrawable when their holding period ends.';
  if (b.withdrawable < minimum) return `Withdrawable ${m(b.withdrawable)} is below the smallest payout, ${m(minimum)}.`;
  if (!hasMethod) return 'Save a payout method first.';
  return null;
}

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

  /** The commissions page after `cursor` (the last line of the page before), and whether older lines follow; an unreadable cursor gives the first page. */
  async function earningsPage(userId: string, cursor: string | undefined) {
    try {
      const rows = await app.onehop.commissionHistory({ userId, limit: EARNINGS_PAGE + 1, ...(cursor ? { cursor } : {}) });
      return { lines: rows.slice(0, EARNINGS_PAGE), older: rows.length > EARNINGS_PAGE, cursor };
    } catch (error) {
      if (!cursor || !isOnehopError(error)) throw error;
      return earningsPage(userId, undefined);
    }
  }

  /** The user's own side of the referral that brought them, if one did, and what their sign-up's code became. */
  async function refereeSection(status: RefereeStatus, outcome: ReferralOutcome | undefined) {
    if (!status.referred && (outcome === undefined || outcome === 'applied')) return '';
    const m = (n: number) => money(n, status.currency);
    const referrerName = status.referrer?.userId ? (await getUser(app.db.sql, status.referrer.userId))?.name : undefined;
    const who = referrerName ?? (status.referrer ? `the owner of the code ${status.referrer.code}` : 'a friend');
    const message =
      outcome === undefined
        ? ''
        : outcome === 'applied'
          ? html`<p class="notice" role="status" data-outcome="applied">Your referral code was applied: you joined through ${who}’s invitation.</p>`
          : html`<p class="alert" role="alert" data-outcome="${outcome}">${refusalMessage(outcome)}</p>`;
    if (!status.referred) return html`<div id="referee-status">${message}</div>`;
    const reward = status.welcomeReward;
    const steps: { label: string; done: boolean }[] = [
      { label: 'Signed up with the invitation', done: true },
      {
        label:
          status.criteria.qualifyOn === 'signup'
            ? 'Sign-up qualifies'
            : `First payment${status.criteria.minimumPurchase > 0 ? ` of ${m(status.criteria.minimumPurchase)} or more` : ''} (payments so far: ${status.progress.purchases})`,
        done: status.progress.qualified,
      },
      ...(reward
        ? [
            {
              label: reward.credited > 0 ? `Welcome credit of ${m(reward.credited)} credited to your balance` : `Welcome credit of ${m(reward.amount)}`,
              done: reward.credited > 0,
            },
          ]
        : []),
    ];
    const done = steps.filter((step) => step.done).length;
    const benefit = benefitText({ welcomeReward: reward, discount: status.discount, currency: status.currency });
    return html`<section class="box" id="referee-status" data-eligible="${String(status.eligible)}">
      ${message}
      <h2>Your invitation</h2>
      <p>You joined through ${who}’s invitation.</p>
      ${
        status.eligible
          ? html`${
              benefit
                ? status.progress.qualified
                  ? html`<p>Your referral qualified: you got <b>${benefit}</b>.</p>`
                  : html`<p>You get <b>${benefit}</b> ${criteriaText(status.criteria, status.currency)}.</p>`
                : ''
            }
            <ol class="steps">
              ${steps.map((step) => html`<li data-done="${String(step.done)}">${step.done ? '✓ ' : ''}${step.label}</li>`)}
            </ol>
            <div class="bar" role="progressbar" aria-label="Progress toward your welcome reward" aria-valuemin="0" aria-valuemax="${steps.length}" aria-valuenow="${done}">
              <div style="width:${Math.round((done * 100) / steps.length)}%"></div>
            </div>`
          : html`<p class="alert" data-testid="not-eligible">Your referral no longer counts, so no welcome reward is due. Everything else in your account works as usual.</p>`
      }
    </section>`;
  }

  async function page(c: Context, user: User, state: { errors?: FieldErrors; notice?: string; values?: Record<string, string>; outcome?: ReferralOutcome } = {}) {
    const { onehop } = app;
    const baseUrl = new URL('/', c.req.url).toString();
    const [overview, tier, earnings, method, payouts, shared, qr, referee] = await Promise.all([
      onehop.referrerOverview({ userId: user.id }),
      onehop.tierProgress({ userId: user.id }),
      earningsPage(user.id, c.req.query('earnings') || undefined),
      onehop.getPayoutMethod(user.id),
      onehop.listPayouts(user.id, { limit: 10 }),
      onehop.shareLinksFor({ userId: user.id, baseUrl, text: 'I use Hopshop and like it. Sign up through my link:', subject: 'Try Hopshop', tagNetworks: true }),
      onehop.qrCodeFor({ userId: user.id, baseUrl, scale: 4 }),
      onehop.refereeStatus({ refereeId: user.id }),
    ]);
    const b = overview.balances;
    const m = (n: number) => money(n, currency);
    const errors = state.errors;
    const values = state.values ?? {};
    const methodValues: Record<string, string> = method ? { type: method.method.type, ...(method.method as Record<string, string>) } : {};
    const chosen = values.type ?? methodValues.type ?? 'paypal';
    const blocked = payoutBlocked(b, app.onehop.program.payouts.minimumAmount, method !== null, m);
    const signups = overview.referrals.total;
    const commissions = earnings.lines;
    return c.html(
      layout(
        { title: 'Your referrals', user },
        html`<h1>Your referrals</h1>
          ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''} ${formError(errors)}
          ${await refereeSection(referee, state.outcome)}
          <div class="cards">
            ${card('clicks on your link', String(overview.clicks), 'clicks')}
            ${card(`sign-ups (${overview.referrals.qualified} paying)`, String(signups), 'referrals')}
            ${card(`clicks → sign-ups (${signups} of ${overview.clicks} clicks)`, overview.clicks > 0 ? percent(shareBps(signups, overview.clicks)) : '–', 'click-conversion')}
            ${card(`sign-ups → paying (${overview.referrals.qualified} of ${signups} sign-ups)`, percent(overview.conversionBps), 'signup-conversion')}
            ${card('earned, all time', m(overview.earnings.total), 'earned')}
          </div>
          <h2>Balance</h2>
          <div class="cards">
            ${card('pending (holding period)', m(b.pending), 'pending')} ${card('on hold (in review)', m(b.onHold), 'on-hold')}
            ${card('withdrawable', m(b.withdrawable), 'withdrawable')} ${card('requested', m(b.requested), 'requested')} ${card('paid out', m(b.paid), 'paid')}
            ${b.negativeCarry > 0 ? card('to be deducted from future earnings', m(b.negativeCarry)) : ''}
          </div>

          <div class="row spaced">
            <section class="box">
              <h2>Your link</h2>
              <p><input type="text" id="referral-link" readonly value="${shared.link}" aria-label="Your referral link" /> <button type="button" id="copy-link">Copy link</button></p>
              <p id="share">Share on: ${Object.entries(shared.share).map(
                ([network, url], i) =>
                  html`${i > 0 ? ' · ' : ''}<a href="${url}" target="_blank" rel="noopener" data-share="${network}">${NETWORK_NAMES[network as keyof typeof NETWORK_NAMES]}</a>`,
              )}</p>
              ${
                tier.tiered
                  ? html`<p>
                      Tier ${tier.tier + 1}: ${tier.rateBps === null ? m(tier.amount ?? 0) : percent(tier.rateBps)} of every purchase.
                      ${tier.nextFrom === null ? 'You are at the top tier.' : `${tier.nextFrom - tier.count} more paying referrals to the next tier.`}
                    </p>
                    <div class="bar" role="progressbar" aria-label="Progress to the next tier" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(tier.progressBps / 100)}"><div style="width:${tier.progressBps / 100}%"></div></div>`
                  : ''
              }
            </section>
            <section class="box" style="flex:0 0 auto;min-width:0">
              <h2>QR code</h2>
              <!-- onehop draws it from the link: numbers and paths only. -->
              <div id="qr">${raw(qr)}</div>
            </section>
          </div>

          <h2 id="earnings-heading">Earnings</h2>
          ${
            commissions.length === 0
              ? html`<p class="muted">${earnings.cursor ? 'No older earnings.' : 'No commissions yet: they appear when someone you referred pays.'}</p>`
              : html`<div class="scroll"><table id="earnings">
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
              </table></div>`
          }
          ${
            earnings.cursor || earnings.older
              ? html`<nav class="pager" aria-label="Earnings pages">
                  ${earnings.cursor ? html`<a href="/dashboard#earnings-heading" id="earnings-newest">← Newest</a>` : ''}
                  ${earnings.older ? html`<a href="/dashboard?earnings=${commissions.at(-1)?.id ?? ''}#earnings-heading" id="earnings-older">Older →</a>` : ''}
                </nav>`
              : ''
          }

          <div class="row spaced">
            <section class="box">
              <h2>Payout method</h2>
              <form method="post" action="/dashboard/payout-method" novalidate id="payout-method">
                <label for="type">Method</label>
                <select id="type" name="type">
                  ${METHODS.map(([value, label]) => html`<option value="${value}" ${value === chosen ? 'selected' : ''}>${label}</option>`)}
                </select>
                <fieldset class="method" data-method="paypal wise" ${chosen === 'paypal' || chosen === 'wise' ? '' : 'hidden disabled'}>
                  ${field('email', 'Email of the PayPal or Wise account', { type: 'email', value: values.email ?? methodValues.email, errors, attrs: 'autocomplete="email"' })}
                </fieldset>
                <fieldset class="method" data-method="bank_transfer" ${chosen === 'bank_transfer' ? '' : 'hidden disabled'}>
                  ${field('accountHolder', 'Account holder', { value: values.accountHolder ?? methodValues.accountHolder, errors, attrs: 'autocomplete="name"' })}
                  ${field('iban', 'IBAN', { value: values.iban ?? methodValues.iban, errors, attrs: 'autocapitalize="characters" spellcheck="false"' })}
                </fieldset>
                <p class="method muted" data-method="store_credit" ${chosen === 'store_credit' ? '' : 'hidden'}>Paid as Hopshop credit: nothing more to fill in.</p>
                <p><button>Save payout method</button></p>
              </form>
            </section>
            <section class="box">
              <h2>Request a payout</h2>
              <p>Withdrawable now: <b>${m(b.withdrawable)}</b>. The smallest payout is ${m(app.onehop.program.payouts.minimumAmount)}.</p>
              <form method="post" action="/dashboard/payouts" novalidate id="request-payout">
                ${field('amount', `Amount in ${currency} (empty: everything withdrawable)`, { value: values.amount, errors, attrs: blocked ? 'disabled' : '' })}
                <p><button ${blocked ? raw('disabled aria-describedby="payout-blocked"') : ''}>Request payout</button></p>
                ${blocked ? html`<p class="muted" id="payout-blocked">${blocked}</p>` : ''}
              </form>
              ${
                payouts.length > 0
                  ? html`<div class="scroll"><table id="payouts">
                    <tr><th>Requested</th><th class="num">Amount</th><th>Status</th><th>Reference</th></tr>
                    ${payouts.map(
                      (p) =>
                        html`<tr><td>${day(p.requestedAt)}</td><td class="num">${m(p.amount)}</td><td><span class="status" data-status="${p.status}">${p.status}</span>${p.statusReason ? html` <span class="muted">${p.statusReason}</span>` : ''}</td><td>${p.externalReference ?? ''}</td></tr>`,
                    )}
                  </table></div>`
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
            // Only the chosen method's fields show, and only they are sent.
            const type = document.getElementById('type');
            const showMethod = () => {
              for (const el of document.querySelectorAll('#payout-method .method')) {
                const shown = el.dataset.method.split(' ').includes(type.value);
                el.hidden = !shown;
                if (el.tagName === 'FIELDSET') el.disabled = !shown;
              }
            };
            type.addEventListener('change', showMethod);
          </script>`,
      ),
      errors ? 400 : 200,
    );
  }

  routes.get('/dashboard', (c) => {
    const outcome = takeReferralOutcome(c);
    return page(c, c.get('user'), { notice: takeNotice(c), ...(outcome ? { outcome } : {}) });
  });

  routes.post('/dashboard/payout-method', async (c) => {
    const user = c.get('user');
    const form = await formOf(c);
    const parsed = payoutMethodForm.safeParse(form);
    if (!parsed.success) return page(c, user, { errors: zodErrors(parsed.error), values: form });
    // The parsed form has the chosen method's fields only: the others' values are not sent to onehop.
    const method: PayoutMethod = parsed.data;
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
