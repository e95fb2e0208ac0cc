/**
 * The admin dashboard, behind the admin check: the program's figures, the
 * funnel and charts of the last 30 days (days of the program's time zone),
 * the review queue, the holding period, payout approvals and runs, payouts
 * in flight or failed, top referrers, and the activity feed a page at a
 * time. Every decision is made through onehop, which audits it with the
 * admin's id and reason.
 */
import type { CommissionRecord } from '@onehop/core';
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import * as z from 'zod';
import { namesOf } from '../accounts';
import { type App, formOf, onehopErrors, redirectWithNotice, takeNotice } from '../context';
import { card, type FieldErrors, field, formError, funnelChart, layout, lineChart, money, percent, scrollTable } from '../html';
import { ADMIN_ID, asAdmin, currentAdminId, grantAdmin, isAdmin, revokeAdmin, tokenMatches } from '../session';
import { dateIn, startOfNextDayIn } from '../time-zone';
import { activityPage, activityTable } from './admin-activity';

const DAY_MS = 86_400_000;

const reasonSchema = z.string().trim().min(1, 'Give a reason: it is kept in the audit trail.').max(1000);

function signInPage(c: Context, status: 200 | 401, errors?: FieldErrors) {
  return c.html(
    layout(
      { title: 'Admin sign-in' },
      html`<h1>Admin sign-in</h1>
        <p>The admin pages need the admin token (ADMIN_TOKEN, printed when the app starts).</p>
        ${formError(errors)}
        <form method="post" action="/admin/signin" novalidate>
          ${field('token', 'Admin token', { type: 'password', errors, attrs: 'autocomplete="off"' })}
          <p><button>Sign in</button></p>
        </form>`,
    ),
    status,
  );
}

export function adminRoutes(app: App): Hono {
  const routes = new Hono();
  const { onehop } = app;
  const currency = onehop.program.currency;
  const m = (n: number) => money(n, currency);

  routes.get('/admin/signin', (c) => signInPage(c, 200));
  routes.post('/admin/signin', async (c) => {
    const { token = '' } = await formOf(c);
    if (!tokenMatches(token, app.adminToken)) return signInPage(c, 401, { token: 'That is not the admin token.' });
    await grantAdmin(c, app);
    return c.redirect('/admin', 303);
  });

  // Everything else under /admin needs the admin check; without it the answer is 401 and nothing runs.
  // With it, the route runs as the admin's request: the engine's authorize hook allows admin actions there only.
  routes.use('/admin/*', async (c, next) => {
    if (c.req.path === '/admin/signin') return next();
    if (!(await isAdmin(c, app))) return signInPage(c, 401, { form: 'Sign in as an admin to see this page.' });
    return asAdmin(ADMIN_ID, next);
  });
  routes.use('/admin', async (c, next) => ((await isAdmin(c, app)) ? asAdmin(ADMIN_ID, next) : signInPage(c, 401, { form: 'Sign in as an admin to see this page.' })));

  /** The signed-in admin of this request, whom the decisions are recorded under. */
  const adminId = (): string => currentAdminId() ?? '';

  routes.post('/admin/signout', (c) => {
    revokeAdmin(c);
    return c.redirect('/', 303);
  });

  /** Errors by the form they belong to: `review:<id>`, `payout:<id>`, or `form`. */
  async function page(c: Context, state: { errors?: FieldErrors; notice?: string } = {}) {
    const timeZone = onehop.program.timeZone;
    const now = app.clock?.now() ?? new Date();
    // The last 30 whole days of the program's time zone, today included.
    const to = startOfNextDayIn(now, timeZone);
    const from = new Date(to.getTime() - 30 * DAY_MS);
    const after = c.req.query('after') || undefined;
    const [overview, performance, funnel, top, reviews, requested, approved, activity, processing, failed] = await Promise.all([
      onehop.programOverview({ from, to }),
      onehop.performance({ from, to, granularity: 'day' }),
      onehop.funnel({ from, to }),
      onehop.topReferrers({ by: 'earnings', limit: 10 }),
      onehop.listReviews({ status: 'open', limit: 50 }),
      onehop.payoutsByStatus({ status: 'requested', limit: 50 }),
      onehop.payoutsByStatus({ status: 'approved', limit: 50 }),
      // A cursor that is not one of the feed's (a mistyped address) shows the newest page, with the error.
      activityPage(app, after).then(
        (page) => ({ page, error: undefined }),
        async (error: unknown) => ({ page: await activityPage(app, undefined), error: Object.values(onehopErrors(error))[0] }),
      ),
      onehop.payoutsByStatus({ status: 'processing', limit: 50 }),
      onehop.payoutsByStatus({ status: 'failed', limit: 50 }),
    ]);
    const held = reviews.filter((r) => r.entityType === 'commission');
    const commissions = new Map<string, CommissionRecord | null>(await Promise.all(held.map(async (r) => [r.entityId, await onehop.getCommission(r.entityId)] as const)));
    const names = await namesOf(app.db.sql, [
      ...new Set([
        ...top.map((t) => t.userId),
        ...reviews.map((r) => r.referrerId),
        ...requested.map((p) => p.userId),
        ...approved.map((p) => p.userId),
        ...processing.map((p) => p.userId),
        ...failed.map((p) => p.userId),
      ]),
    ]);
    const who = (id: string) => names.get(id) ?? id;
    const errors: FieldErrors = {
      ...(activity.error ? { form: `That page of the activity feed does not exist (${activity.error}); here is the newest.` } : {}),
      ...state.errors,
    };
    const errorFor = (key: string) => (errors[key] ? html`<div class="error" role="alert">${errors[key]}</div>` : '');
    // An error about a row no longer listed (decided meanwhile, or never there) is shown at the top.
    const rows = new Set([...reviews.map((r) => `review:${r.id}`), ...[...requested, ...approved].map((p) => `payout:${p.id}`)]);
    const elsewhere = Object.entries(errors).filter(([key]) => !rows.has(key));
    const p = overview.period;
    const date = (at: Date) => dateIn(at, timeZone);
    const labels = performance.series.map((s) => date(s.start).slice(5));
    const payoutHead = html`<thead><tr><th scope="col">Referrer</th><th scope="col" class="num">Amount</th><th scope="col">Method</th><th scope="col">Requested</th><th scope="col">Action</th></tr></thead>`;
    const payoutRow = (payout: (typeof requested)[number], actions: ReturnType<typeof html>) =>
      html`<tr data-payout="${payout.id}"><td>${who(payout.userId)}</td><td class="num">${m(payout.amount)}</td><td>${payout.method.type}</td><td>${date(payout.requestedAt)}</td><td>${actions}${errorFor(`payout:${payout.id}`)}</td></tr>`;

    return c.html(
      layout(
        { title: 'Admin', admin: true },
        html`<h1>Program overview</h1>
          ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''}
          ${elsewhere.map(([key, message]) => html`<p class="alert" role="alert">${key === 'form' ? '' : `${key.split(':')[1]}: `}${message}</p>`)}
          <p class="muted">The last 30 days (${date(from)} to ${date(new Date(to.getTime() - 1))}, days in the program's time zone, ${timeZone}), and what the accounts hold now. Mode: ${onehop.mode}.</p>

          <section aria-labelledby="referrals-heading">
            <h2 id="referrals-heading">Referrals, last 30 days</h2>
            <div class="cards cols-3">${card('clicks', String(p.clicks), 'clicks')} ${card('sign-ups', String(p.signups), 'signups')} ${card('qualified', String(p.qualified), 'qualified')}</div>
          </section>
          <section aria-labelledby="commissions-heading">
            <h2 id="commissions-heading">Commissions, last 30 days</h2>
            <div class="cards cols-4">
              ${card('referred revenue', m(p.revenue))} ${card('commissions accrued', m(p.accrued), 'accrued')} ${card('reversed', m(p.reversed))} ${card('paid out', m(p.paid))}
            </div>
          </section>
          <section aria-labelledby="balances-heading">
            <h2 id="balances-heading">Balances now</h2>
            <div class="cards cols-4">
              ${card('pending', m(overview.now.pending))} ${card('on hold', m(overview.now.on_hold), 'on-hold')} ${card('withdrawable', m(overview.now.withdrawable))}
              ${card('requested', m(overview.now.requested))}
            </div>
          </section>

          <div class="row">
            <section class="box" id="funnel" aria-labelledby="funnel-heading">
              <h2 id="funnel-heading">Funnel, last 30 days</h2>
              ${funnelChart(
                [
                  { name: 'Clicks', count: funnel.clicks },
                  { name: 'Sign-ups', count: funnel.signups },
                  { name: 'Qualified', count: funnel.qualified },
                ],
                [
                  { bps: funnel.clickToSignupBps, label: 'of clicks signed up' },
                  { bps: funnel.signupToQualifiedBps, label: 'of sign-ups qualified (made a qualifying purchase)' },
                ],
              )}
              <p class="muted">${funnel.clicks === 0 ? 'No clicks yet.' : html`${percent(funnel.clickToQualifiedBps)} of clicks became qualified referrals.`}</p>
            </section>
            <section class="box" id="chart-activity" aria-labelledby="chart-activity-heading">
              <h2 id="chart-activity-heading">Clicks, sign-ups and qualified referrals per day</h2>
              ${lineChart(
                labels,
                [
                  { name: 'clicks', color: '#6b7489', dash: '6 4', marker: 'circle', values: performance.series.map((s) => s.clicks) },
                  { name: 'sign-ups', color: '#3451d1', width: 4, marker: 'square', values: performance.series.map((s) => s.signups) },
                  { name: 'qualified', color: '#1a7f45', dash: '2 3', marker: 'circle', values: performance.series.map((s) => s.qualified) },
                ],
                { label: 'Clicks, sign-ups and qualified referrals per day' },
              )}
            </section>
          </div>
          <section class="box" id="chart-earnings" aria-labelledby="chart-earnings-heading">
            <h2 id="chart-earnings-heading">Net commissions per day</h2>
            ${lineChart(labels, [{ name: 'net commissions', color: '#b86e00', marker: 'circle', values: performance.series.map((s) => s.earnings) }], {
              format: m,
              label: 'Net commissions per day',
            })}
          </section>

          <section aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">Review queue</h2>
            ${
              reviews.length === 0
                ? html`<p class="muted">Nothing waits for review.</p>`
                : scrollTable(
                    'Review queue',
                    html`<table id="reviews">
                <thead><tr><th scope="col">Opened</th><th scope="col">Referrer</th><th scope="col">What</th><th scope="col">Why</th><th scope="col">Decision</th></tr></thead>
                <tbody>
                ${reviews.map((r) => {
                  const commission = commissions.get(r.entityId);
                  return html`<tr data-review="${r.id}">
                    <td>${date(r.createdAt)}</td>
                    <td>${who(r.referrerId)}</td>
                    <td>${r.entityType === 'commission' && commission ? `commission of ${m(commission.amount)}` : `referral ${r.referralId}`}</td>
                    <td>${r.findings.map((f) => f.reason).join(', ')}</td>
                    <td>
                      <form class="inline" method="post" action="/admin/reviews/${r.id}" novalidate>
                        <input type="text" name="reason" placeholder="Reason (required)" aria-label="Reason" />
                        <button name="decision" value="approve">Approve</button>
                        <button name="decision" value="reject" class="danger">Reject</button>
                      </form>
                      ${errorFor(`review:${r.id}`)}
                    </td>
                  </tr>`;
                })}
                </tbody>
              </table>`,
                  )
            }
          </section>

          <section aria-labelledby="holding-heading">
            <h2 id="holding-heading">Holding period</h2>
            <p class="muted">Commissions become withdrawable once their holding period (${onehop.program.commission?.holdingDays ?? 0} days) has passed; the app approves them every minute. Approve them now:</p>
            <form method="post" action="/admin/approve-due"><button class="secondary">Approve commissions past their holding period</button></form>
          </section>

          <section aria-labelledby="payout-requests-heading">
            <h2 id="payout-requests-heading">Payouts to approve</h2>
            ${
              requested.length === 0
                ? html`<p class="muted">No payout requests.</p>`
                : scrollTable(
                    'Payouts to approve',
                    html`<table id="payout-requests">
                ${payoutHead}
                <tbody>
                ${requested.map((payout) =>
                  payoutRow(
                    payout,
                    html`<form class="inline" method="post" action="/admin/payouts/${payout.id}/approve"><button>Approve</button></form>
                      <form class="inline" method="post" action="/admin/payouts/${payout.id}/reject" novalidate>
                        <input type="text" name="reason" placeholder="Reason to reject" aria-label="Reason to reject" /><button class="danger">Reject</button>
                      </form>`,
                  ),
                )}
                </tbody>
              </table>`,
                  )
            }
          </section>
          <section aria-labelledby="payouts-approved-heading">
            <h2 id="payouts-approved-heading">Approved payouts to send</h2>
            ${
              approved.length === 0
                ? html`<p class="muted">None.</p>`
                : scrollTable(
                    'Approved payouts to send',
                    html`<table id="payouts-approved">
                ${payoutHead}
                <tbody>
                ${approved.map((payout) =>
                  payoutRow(
                    payout,
                    html`<form class="inline" method="post" action="/admin/payouts/${payout.id}/paid" novalidate>
                      <input type="text" name="reference" placeholder="Transfer reference" aria-label="Transfer reference" /><button>Mark paid</button>
                    </form>`,
                  ),
                )}
                </tbody>
              </table>`,
                  )
            }
          </section>

          <section aria-labelledby="payout-runs-heading">
            <h2 id="payout-runs-heading">Payout runs</h2>
            <p class="muted">Every withdrawable balance becomes one approved payout, to send or mark paid above.</p>
            <form method="post" action="/admin/payout-run"><button>Start a payout run</button></form>
          </section>
          <section aria-labelledby="in-flight-heading">
            <h2 id="in-flight-heading">Payouts in flight or failed</h2>
            ${
              processing.length + failed.length === 0
                ? html`<p class="muted">None.</p>`
                : scrollTable(
                    'Payouts in flight or failed',
                    html`<table id="payouts-in-flight">
                <thead><tr><th scope="col">Referrer</th><th scope="col" class="num">Amount</th><th scope="col">Method</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Reason</th></tr></thead>
                <tbody>
                ${[...processing, ...failed].map(
                  (payout) =>
                    html`<tr data-payout="${payout.id}"><td>${who(payout.userId)}</td><td class="num">${m(payout.amount)}</td><td>${payout.method.type}</td><td>${payout.status}</td><td class="num">${payout.attempts}</td><td>${payout.statusReason ?? ''}</td></tr>`,
                )}
                </tbody>
              </table>`,
                  )
            }
          </section>

          <section aria-labelledby="top-heading">
            <h2 id="top-heading">Top referrers</h2>
            ${scrollTable(
              'Top referrers',
              html`<table id="top-referrers">
                <thead><tr><th scope="col">Referrer</th><th scope="col" class="num">Net earnings</th></tr></thead>
                <tbody>${top.map((t) => html`<tr><td>${who(t.userId)}</td><td class="num">${m(t.value)}</td></tr>`)}</tbody>
              </table>`,
            )}
          </section>
          <section id="activity-feed" aria-labelledby="activity-heading">
            <h2 id="activity-heading">Recent activity${after && !activity.error ? ' (older)' : ''}</h2>
            ${activityTable(activity.page, { timeZone, first: !after || activity.error !== undefined })}
          </section>`,
      ),
      Object.keys(state.errors ?? {}).length > 0 ? 400 : 200,
    );
  }

  routes.get('/admin', (c) => page(c, { notice: takeNotice(c) }));

  routes.post('/admin/approve-due', async (c) => {
    const { approved } = await onehop.approveDue();
    return redirectWithNotice(c, '/admin', `${approved} commission${approved === 1 ? '' : 's'} approved.`);
  });

  routes.post('/admin/payout-run', async (c) => {
    try {
      const run = await onehop.createPayoutRun({ before: app.clock?.now() ?? new Date(), adminId: adminId() });
      const { payouts, skipped, total } = run.result!;
      return redirectWithNotice(
        c,
        '/admin',
        `Payout run ${run.id}: ${payouts.length} payout${payouts.length === 1 ? '' : 's'} of ${m(total)} approved, ${skipped.length} left out.`,
      );
    } catch (error) {
      return page(c, { errors: onehopErrors(error) });
    }
  });

  routes.post('/admin/reviews/:id', async (c) => {
    const id = c.req.param('id');
    const form = await formOf(c);
    const decision = z.enum(['approve', 'reject']).safeParse(form.decision);
    const reason = reasonSchema.safeParse(form.reason ?? '');
    if (!decision.success) return page(c, { errors: { [`review:${id}`]: 'Choose approve or reject.' } });
    if (!reason.success) return page(c, { errors: { [`review:${id}`]: reason.error.issues[0]!.message } });
    try {
      await onehop.decideReview({ reviewId: id, decision: decision.data, adminId: adminId(), reason: reason.data });
    } catch (error) {
      return page(c, { errors: { [`review:${id}`]: Object.values(onehopErrors(error))[0]! } });
    }
    return redirectWithNotice(c, '/admin', `Review ${decision.data === 'approve' ? 'approved' : 'rejected'}.`);
  });

  routes.post('/admin/payouts/:id/:action{approve|reject|paid}', async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action');
    const form = await formOf(c);
    const fail = (message: string) => page(c, { errors: { [`payout:${id}`]: message } });
    try {
      if (action === 'approve') {
        await onehop.approvePayout({ payoutId: id, adminId: adminId() });
      } else if (action === 'reject') {
        const reason = reasonSchema.safeParse(form.reason ?? '');
        if (!reason.success) return fail(reason.error.issues[0]!.message);
        await onehop.rejectPayout({ payoutId: id, adminId: adminId(), reason: reason.data });
      } else {
        const reference = z
          .string()
          .trim()
          .min(1, 'Enter the transfer reference from your bank or provider.')
          .max(255)
          .safeParse(form.reference ?? '');
        if (!reference.success) return fail(reference.error.issues[0]!.message);
        await onehop.markPayoutPaid({ payoutId: id, adminId: adminId(), externalReference: reference.data });
      }
    } catch (error) {
      return fail(Object.values(onehopErrors(error))[0]!);
    }
    return redirectWithNotice(c, '/admin', `Payout ${action === 'paid' ? 'marked paid' : `${action}d`}.`);
  });

  return routes;
}
