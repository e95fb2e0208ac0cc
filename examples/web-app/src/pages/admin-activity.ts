/**
 * The admin's activity feed: the program's audit trail, newest first, one
 * page at a time on the engine's cursor (the id of the last line of the
 * previous page, so new activity never shifts a page). Each line says what
 * happened, to what or whom, the amount where there is one, who did it, and
 * when in the program's time zone.
 */
import type { AuditRecord, CommissionRecord, PayoutRecord } from '@onehop/core';
import { html } from 'hono/html';
import { namesOf } from '../accounts';
import type { App } from '../context';
import { type Html, money, scrollTable } from '../html';
import { ADMIN_ID } from '../session';
import { dateTimeIn } from '../time-zone';

/** Lines per page of the feed. */
const ACTIVITY_PAGE_SIZE = 20;

interface ActivityLine {
  id: string;
  at: Date;
  action: string;
  reason: string | null;
  /** What or whom it is about, in words. */
  subject: string;
  /** The amount concerned, formatted, or null. */
  amount: string | null;
  who: string;
}

export interface ActivityPage {
  lines: ActivityLine[];
  /** The cursor of the next (older) page, or null on the last page. */
  next: string | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const amountOf = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null);

/** One page of the feed, after the line `after` (the newest first when absent). */
export async function activityPage(app: App, after: string | undefined): Promise<ActivityPage> {
  const { onehop } = app;
  // One line more than shown says whether an older page exists.
  const read = await onehop.recentActivity({ limit: ACTIVITY_PAGE_SIZE + 1, ...(after ? { cursor: after } : {}) });
  const records = read.slice(0, ACTIVITY_PAGE_SIZE);

  // What the lines are about: their commissions, payouts and referrals, read once each.
  const commissionIds = new Set<string>();
  const payoutIds = new Set<string>();
  const refereesWithoutReferrer = new Set<string>();
  for (const a of records) {
    if (a.entityType === 'commission') commissionIds.add(a.entityId);
    if (a.entityType === 'review' && a.data?.entityType === 'commission' && text(a.data.entityId)) commissionIds.add(text(a.data.entityId)!);
    if (a.entityType === 'payout') payoutIds.add(a.entityId);
    if (a.entityType === 'referral' && !text(a.data?.referrerId) && text(a.data?.refereeId)) refereesWithoutReferrer.add(text(a.data?.refereeId)!);
  }
  const [commissions, payouts, referrers] = await Promise.all([
    Promise.all([...commissionIds].map(async (id) => [id, await onehop.getCommission(id)] as const)).then((e) => new Map<string, CommissionRecord | null>(e)),
    Promise.all([...payoutIds].map(async (id) => [id, await onehop.getPayout(id)] as const)).then((e) => new Map<string, PayoutRecord | null>(e)),
    Promise.all([...refereesWithoutReferrer].map(async (id) => [id, (await onehop.getReferralByReferee(id))?.referrerId ?? null] as const)).then(
      (e) => new Map<string, string | null>(e),
    ),
  ]);
  const userIds = new Set<string>();
  for (const a of records) {
    if (a.actor.type === 'user' && a.actor.id) userIds.add(a.actor.id);
    if (['participant', 'tier', 'tax_profile', 'attribution_attempt'].includes(a.entityType)) userIds.add(a.entityId);
    for (const key of ['refereeId', 'referrerId', 'userId', 'beneficiaryId']) if (text(a.data?.[key])) userIds.add(text(a.data?.[key])!);
  }
  for (const c of commissions.values()) if (c) for (const id of [c.beneficiaryId, c.refereeId]) if (id) userIds.add(id);
  for (const p of payouts.values()) if (p) userIds.add(p.userId);
  for (const id of referrers.values()) if (id) userIds.add(id);
  const names = await namesOf(app.db.sql, [...userIds]);
  const name = (id: string) => names.get(id) ?? id;

  const currency = onehop.program.currency;
  const commissionSubject = (c: CommissionRecord | null | undefined, id: string) =>
    c
      ? `commission to ${name(c.beneficiaryId)}${c.refereeId ? ` for ${name(c.refereeId)}'s ${c.sourceKind === 'signup' ? 'sign-up' : c.sourceKind}` : ''}`
      : `commission ${id}`;

  const describe = (a: AuditRecord): { subject: string; amount: number | null } => {
    const data = a.data ?? {};
    switch (a.entityType) {
      case 'commission': {
        const c = commissions.get(a.entityId);
        const amount = amountOf(data.amount) ?? (a.action === 'commission.reversed' ? (c?.reversedAmount ?? null) : (c?.amount ?? null));
        return { subject: commissionSubject(c, a.entityId), amount };
      }
      case 'payout': {
        const p = payouts.get(a.entityId);
        return { subject: p ? `payout to ${name(p.userId)}` : `payout ${a.entityId}`, amount: amountOf(data.amount) ?? p?.amount ?? null };
      }
      case 'referral': {
        const referee = text(data.refereeId);
        const referrer = text(data.referrerId) ?? (referee ? referrers.get(referee) : null);
        return { subject: referee ? `${name(referee)}, referred${referrer ? ` by ${name(referrer)}` : ''}` : `referral ${a.entityId}`, amount: null };
      }
      case 'review': {
        const entityId = text(data.entityId) ?? '';
        const about = data.entityType === 'commission' ? commissionSubject(commissions.get(entityId), entityId) : `${text(data.entityType) ?? 'item'} ${entityId}`;
        return { subject: `review of the ${about}`, amount: data.entityType === 'commission' ? (commissions.get(entityId)?.amount ?? null) : null };
      }
      case 'participant':
        return { subject: name(a.entityId), amount: null };
      case 'tier':
        return { subject: `${name(a.entityId)}'s tier`, amount: null };
      case 'tax_profile':
        return { subject: `${name(a.entityId)}'s tax profile`, amount: null };
      case 'attribution_attempt':
        return { subject: `${name(a.entityId)}'s sign-up${text(data.code) ? ` with code ${text(data.code)}` : ''}`, amount: null };
      case 'code':
        return { subject: `code ${a.entityId}${text(data.userId) ? ` of ${name(text(data.userId)!)}` : ''}`, amount: null };
      default:
        return { subject: `${a.entityType.replace('_', ' ')} ${a.entityId}`, amount: amountOf(data.amount) ?? amountOf(data.total) };
    }
  };
  const who = (a: AuditRecord) =>
    a.actor.type === 'user' && a.actor.id
      ? name(a.actor.id)
      : a.actor.type === 'admin'
        ? a.actor.id === ADMIN_ID || !a.actor.id
          ? 'Admin'
          : `Admin ${a.actor.id}`
        : 'System';

  return {
    lines: records.map((a) => {
      const { subject, amount } = describe(a);
      return {
        id: a.id,
        at: a.at,
        action: a.action,
        reason: a.reason,
        subject,
        amount: amount === null ? null : money(amount, text(a.data?.currency) ?? currency),
        who: who(a),
      };
    }),
    next: read.length > ACTIVITY_PAGE_SIZE ? records.at(-1)!.id : null,
  };
}

/** The feed as a table, with the links to the older page and back to the newest. */
export function activityTable(page: ActivityPage, options: { timeZone: string; first: boolean }): Html {
  return html`<p class="muted">Times are in the program's time zone, ${options.timeZone}.</p>
    ${scrollTable(
      'Recent activity',
      html`<table id="activity">
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">About</th><th scope="col" class="num">Amount</th><th scope="col">Who</th></tr></thead>
        <tbody>
          ${page.lines.map(
            (l) =>
              html`<tr data-activity="${l.id}"><td><time datetime="${l.at.toISOString()}">${dateTimeIn(l.at, options.timeZone)}</time></td><td>${l.action}${l.reason ? html` <span class="muted">(${l.reason})</span>` : ''}</td><td>${l.subject}</td><td class="num">${l.amount ?? ''}</td><td>${l.who}</td></tr>`,
          )}
        </tbody>
      </table>`,
    )}
    ${page.lines.length === 0 ? html`<p class="muted">No activity${options.first ? ' yet' : ' older than this'}.</p>` : ''}
    <nav class="pages" id="activity-pages" aria-label="Activity pages">
      ${options.first ? '' : html`<a href="/admin#activity-feed" rel="first">Newest activity</a>`}
      ${page.next ? html`<a href="/admin?after=${encodeURIComponent(page.next)}#activity-feed" rel="next">Older activity</a>` : html`<span class="muted">No older activity.</span>`}
    </nav>`;
}
