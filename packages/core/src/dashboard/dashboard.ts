import { TZDate } from '@date-fns/tz';
import { addDays, format, startOfISOWeek, startOfMonth } from 'date-fns';
import { periodBounds, periodKey } from '../clock/periods';
import { tierIndex } from '../commissions/calculate';
import { ParticipantNotFoundError } from '../errors/errors';
import { BPS_PER_UNIT, divideRounded } from '../money/rounding';
import { currencyExponent } from '../money/currency';
import type { Bucket, CommissionRecord, InvitationStatus, LedgerEntryRecord, ReferralRecord, ReferralStatus } from '../store/records';
import { BUCKETS, INVITATION_STATUSES } from '../store/records';
import { COUNTERS } from '../counters/names';
import { parse, type EngineContext } from '../engine/context';
import type { Work } from '../engine/work';
import { funnelInputSchema, historyInputSchema, performanceInputSchema, periodInputSchema, refereeInputSchema, referralsByStatusInputSchema, statementInputSchema, taxExportInputSchema, topReferrersInputSchema, userInputSchema, type FunnelInput, type HistoryInput, type PerformanceInput, type PeriodInput, type RefereeInput, type ReferralsByStatusInput, type StatementInput, type TaxExportInput, type TopReferrersInput, type UserInput } from '../engine/inputs';
import { toBalances, type Balances } from '../ledger/balances';
import { ALL, breakdownName, CONVERSION_COUNTER, coveringRanges, dayKey, PROGRAM_OWNERS, statName, INVITATION_COUNTER, STATUS_COUNTER, type DailyMetric } from '../counters/stats';

/*
 * Dashboard data, one call per panel. Every figure comes from the counters
 * the engine keeps (see stats.ts), from balance rows, or from an index on one
 * referrer's rows: no call reads the program's history.
 */

/** A share in basis points (10000 = 100 %), rounded half-even; 0 when there is nothing to divide by. */
function share(part: number, whole: number): number {
  return whole <= 0 ? 0 : Number(divideRounded(BigInt(part) * BigInt(BPS_PER_UNIT), BigInt(whole), 'half_even'));
}

/** The day keys of [from, to) in the program's time zone, first and last. */
function dayRange(ctx: EngineContext, from: Date, to: Date): { first: string; last: string } {
  return { first: dayKey(from, ctx.program.timeZone), last: dayKey(new Date(to.getTime() - 1), ctx.program.timeZone) };
}

/** Several metrics at once (one read): all-time totals, or sums over the days of [from, to). */
async function metrics<M extends DailyMetric>(
  work: Work,
  owners: string[],
  ms: readonly M[],
  range: { first: string; last: string } = { first: ALL, last: ALL },
): Promise<Record<M, number>> {
  // The program's shards also keep month rows: a period reads those for the months it covers.
  const ranges: [string, string][] =
    owners === PROGRAM_OWNERS && range.first !== ALL ? coveringRanges(range.first, range.last, work.ctx.today()) : [[range.first, range.last]];
  const out = Object.fromEntries(ms.map((m) => [m, 0])) as Record<M, number>;
  for (const [from, to] of ranges) {
    const sums = await work.tx.counters.sum(work.scope, owners, ms.map(statName), from, to);
    for (const m of ms) out[m] += sums[statName(m)] ?? 0;
  }
  return out;
}

/** Above every key: the largest code point, after any character a source or country holds (in UTF-8 and UTF-16 order alike). */
const LAST_KEY = '\u{10FFFF}';

/** Every key of an all-time counter family (statuses, breakdowns), summed over owners. */
async function keyed(work: Work, owners: string[], name: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of await work.tx.counters.listRange(work.scope, owners, name, '', LAST_KEY)) out.set(c.period, (out.get(c.period) ?? 0) + c.value);
  return out;
}

function statusCounts(counts: Map<string, number>): { total: number } & Record<ReferralStatus, number> {
  const pending = counts.get('pending') ?? 0;
  const qualified = counts.get('qualified') ?? 0;
  const rejected = counts.get('rejected') ?? 0;
  return { total: pending + qualified + rejected, pending, qualified, rejected };
}

async function requireParticipant(work: Work, userId: string): Promise<void> {
  if (!(await work.tx.participants.get(work.scope, userId))) throw new ParticipantNotFoundError(userId);
}

// ---------------------------------------------------------------- referrer

export interface ReferrerOverview {
  userId: string;
  currency: string;
  /** Referrals attributed to this referrer, by status now. */
  referrals: { total: number; pending: number; qualified: number; rejected: number };
  /** Qualified referrals per referral, in basis points. */
  conversionBps: number;
  /** Visits through the referrer's links, all time. */
  clicks: number;
  /** Net earnings (commissions accrued less those reversed or rejected), by the days of the program's time zone. */
  earnings: { today: number; thisMonth: number; total: number };
  balances: Balances;
  /** Invitations this referrer sent, by status now. */
  invitations: Record<InvitationStatus, number>;
}

export async function referrerOverview(ctx: EngineContext, input: UserInput): Promise<ReferrerOverview> {
  const { userId } = parse(userInputSchema, input);
  return ctx.run(async (work) => {
    await requireParticipant(work, userId);
    const owners = [userId];
    const now = ctx.clock.now();
    const today = dayKey(now, ctx.program.timeZone);
    const monthStart = dayKey(periodBounds(now, 'month', ctx.program.timeZone).start!, ctx.program.timeZone);
    const referrals = statusCounts(await keyed(work, owners, STATUS_COUNTER));
    const invitations = await keyed(work, owners, INVITATION_COUNTER);
    const allTime = await metrics(work, owners, ['clicks', 'earned'] as const);
    // This month's day rows (at most 31) give both today and the month.
    const month = new Map((await work.tx.counters.listRange(ctx.scope, owners, statName('earned'), monthStart, today)).map((c) => [c.period, c.value]));
    return {
      userId,
      currency: ctx.program.currency,
      referrals,
      conversionBps: share(referrals.qualified, referrals.total),
      clicks: allTime.clicks,
      earnings: { today: month.get(today) ?? 0, thisMonth: [...month.values()].reduce((a, b) => a + b, 0), total: allTime.earned },
      balances: toBalances(ctx.program.currency, await work.tx.balances.get(ctx.scope, userId)),
      invitations: Object.fromEntries(INVITATION_STATUSES.map((status) => [status, invitations.get(status) ?? 0])) as Record<InvitationStatus, number>,
    };
  });
}

/** A referrer's commissions (filtered by status and creation date), newest first by default; pass the last id as `cursor`. */
export async function commissionHistory(ctx: EngineContext, input: HistoryInput): Promise<CommissionRecord[]> {
  const data = parse(historyInputSchema, input);
  return ctx.run((work) =>
    work.tx.commissions.listByBeneficiary(ctx.scope, data.userId, {
      status: data.status,
      from: data.from,
      to: data.to,
      newestFirst: data.order === 'newest',
      limit: data.limit,
      cursor: data.cursor,
    }),
  );
}

/** A referrer's ledger lines (filtered by date), newest first by default; pass the last id as `cursor`. */
export async function ledgerHistory(ctx: EngineContext, input: HistoryInput): Promise<LedgerEntryRecord[]> {
  const data = parse(historyInputSchema, input);
  return ctx.run((work) =>
    work.tx.ledger.listByAccount(ctx.scope, data.userId, { from: data.from, to: data.to, newestFirst: data.order === 'newest', limit: data.limit, cursor: data.cursor }),
  );
}

export type TierProgress =
  | { tiered: false }
  | {
      tiered: true;
      /** What the tiers count. */
      basis: 'qualified_referrals' | 'referred_revenue';
      /** The count so far in the current period. */
      count: number;
      /** Index of the current tier in the program's tiers, and its terms. */
      tier: number;
      rateBps: number | null;
      amount: number | null;
      /** The count at which the next tier starts, or null at the top tier. */
      nextFrom: number | null;
      /** How far from the current tier's start to the next one, in basis points (10000 at the top). */
      progressBps: number;
      /** When the count starts again (the next period), or null for all-time tiers. */
      resetsAt: Date | null;
    };

/**
 * Where a referrer stands in the program's tiers. A tier applies to the
 * accruals after the one that reaches it (see docs/commissions.md), so the
 * current tier here is the one the next accrual earns at.
 */
export async function tierProgress(ctx: EngineContext, input: UserInput): Promise<TierProgress> {
  const { userId } = parse(userInputSchema, input);
  const rule = ctx.program.commission?.rule;
  if (rule?.type !== 'tiered') return { tiered: false };
  return ctx.run(async (work) => {
    await requireParticipant(work, userId);
    const now = ctx.clock.now();
    const name = rule.basis === 'qualified_referrals' ? COUNTERS.qualified : COUNTERS.revenue;
    const count = await work.tx.counters.get(ctx.scope, userId, name, periodKey(now, rule.period, ctx.program.timeZone));
    const tier = tierIndex(rule.tiers, count);
    const current = rule.tiers[tier]!;
    const next = rule.tiers[tier + 1];
    return {
      tiered: true,
      basis: rule.basis,
      count,
      tier,
      rateBps: current.rateBps ?? null,
      amount: current.amount ?? null,
      nextFrom: next?.from ?? null,
      progressBps: next ? share(count - current.from, next.from - current.from) : BPS_PER_UNIT,
      resetsAt: periodBounds(now, rule.period, ctx.program.timeZone).end,
    };
  });
}

export interface PerformancePoint {
  /** Start of the day, ISO week (Monday) or month, in the program's time zone. */
  start: Date;
  clicks: number;
  signups: number;
  qualified: number;
  /** Net earnings (accrued less reversed). */
  earnings: number;
}

export interface Performance {
  granularity: 'day' | 'week' | 'month';
  series: PerformancePoint[];
  /**
   * From sign-up to qualification, over every referral that ever qualified,
   * all time (not the range), in milliseconds; null when none qualified yet.
   * Nearest-rank median and 90th percentile: a duration some referral took.
   * A referrer's figure is exact; the program's comes from a histogram of
   * minutes under an hour, hours under two days and days beyond, and gives
   * the start of the bucket (the duration cut to that resolution).
   */
  timeToConversion: { count: number; medianMs: number; p90Ms: number } | null;
  /** All-time sign-ups and qualifications by channel (the source given at click or attribution; '' when none). */
  channels: { source: string; signups: number; qualified: number }[];
  /** The same by country, where the application gave one ('' when not). */
  countries: { country: string; signups: number; qualified: number }[];
}

const SERIES_METRICS = [
  ['clicks', 'clicks'],
  ['signups', 'signups'],
  ['qualified', 'qualified'],
  ['earnings', 'earned'],
] as const;

/** Time series of clicks, sign-ups, qualified referrals and earnings, for a referrer or the whole program. */
export async function performance(ctx: EngineContext, input: PerformanceInput): Promise<Performance> {
  const data = parse(performanceInputSchema, input);
  const tz = ctx.program.timeZone;
  return ctx.run(async (work) => {
    if (data.userId !== undefined) await requireParticipant(work, data.userId);
    const owners = data.userId === undefined ? PROGRAM_OWNERS : [data.userId];
    const { first, last } = dayRange(ctx, data.from, data.to);
    // Bucket every day of the range by the start of its day, week or month.
    const points = new Map<string, PerformancePoint>();
    const bucketOfDay = new Map<string, PerformancePoint>();
    for (let day = new TZDate(data.from.getTime(), tz); day.getTime() < data.to.getTime(); day = addDays(day, 1)) {
      const start = data.granularity === 'day' ? day : data.granularity === 'week' ? startOfISOWeek(day) : startOfMonth(day);
      const bucketKey = format(start, 'yyyy-MM-dd');
      let point = points.get(bucketKey);
      if (!point) points.set(bucketKey, (point = { start: new Date(start.getTime()), clicks: 0, signups: 0, qualified: 0, earnings: 0 }));
      bucketOfDay.set(`d:${format(day, 'yyyy-MM-dd')}`, point);
    }
    for (const [field, m] of SERIES_METRICS) {
      for (const c of await work.tx.counters.listRange(ctx.scope, owners, statName(m), first, last)) {
        const point = bucketOfDay.get(c.period);
        if (point) point[field] += c.value;
      }
    }
    const signups = await keyed(work, owners, breakdownName('signups'));
    const qualified = await keyed(work, owners, breakdownName('qualified'));
    const breakdown = (prefix: string) =>
      [...signups.keys()]
        .filter((k) => k.startsWith(prefix))
        .map((k) => ({ key: k.slice(prefix.length), signups: signups.get(k) ?? 0, qualified: qualified.get(k) ?? 0 }))
        .sort((a, b) => b.signups - a.signups || (a.key < b.key ? -1 : 1));
    return {
      granularity: data.granularity,
      series: [...points.values()],
      timeToConversion: data.userId === undefined ? await programTimeToConversion(work) : await timeToConversion(work, data.userId),
      channels: breakdown('s:').map(({ key, ...rest }) => ({ source: key, ...rest })),
      countries: breakdown('c:').map(({ key, ...rest }) => ({ country: key, ...rest })),
    };
  });
}

/** Most referrals read for the time to conversion: a referrer's whole history up to this size. */
const CONVERSION_SAMPLE = 100_000;

async function timeToConversion(work: Work, userId: string): Promise<Performance['timeToConversion']> {
  const durations = (await work.tx.referrals.listByReferrer(work.scope, userId, { limit: CONVERSION_SAMPLE }))
    .filter((r) => r.qualifiedAt !== null)
    .map((r) => r.qualifiedAt!.getTime() - r.attributedAt.getTime())
    .sort((a, b) => a - b);
  return percentiles(durations.map((d) => [d, 1]));
}

/** The program's figure, from the histogram counters (a few hundred rows at most, however many referrals). */
async function programTimeToConversion(work: Work): Promise<Performance['timeToConversion']> {
  const histogram = await keyed(work, PROGRAM_OWNERS, CONVERSION_COUNTER);
  return percentiles([...histogram].map(([bucket, count]) => [Number(bucket), count] as [number, number]).sort((a, b) => a[0] - b[0]));
}

/** Nearest-rank median and 90th percentile of durations given as [duration, how many] in ascending order: a duration some referral took. */
function percentiles(counted: [number, number][]): Performance['timeToConversion'] {
  const count = counted.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const rank = (p: number) => {
    const wanted = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (const [duration, n] of counted) if ((seen += n) >= wanted) return duration;
    return counted[counted.length - 1]![0];
  };
  return { count, medianMs: rank(50), p90Ms: rank(90) };
}

/**
 * What a referee is shown: their own benefits, criteria and progress. What
 * the referrer earned from them is the referrer's business and is not here.
 */
export interface RefereeStatus {
  refereeId: string;
  referred: boolean;
  /** Whether the referral still counts (and earns the referee's welcome reward): referred, not rejected, referrer active. */
  eligible: boolean;
  status: ReferralStatus | null;
  /** What qualifies the referral. */
  criteria: { qualifyOn: 'first_payment' | 'signup'; minimumPurchase: number };
  /** Whether that has happened, and the purchases so far. */
  progress: { qualified: boolean; purchases: number };
  /** The program's welcome reward for the referee, and what was credited. */
  welcomeReward: { amount: number; credited: number } | null;
  /** Who referred them, only when the program's `refereeView.showReferrer` allows it (their current code); otherwise null. */
  referrer: { code: string } | null;
  currency: string;
}

/** What a referee may see: whether they count as referred, what qualifies them, their own rewards, and their referrer if the program allows it. */
export async function refereeStatus(ctx: EngineContext, input: RefereeInput): Promise<RefereeStatus> {
  const { refereeId } = parse(refereeInputSchema, input);
  return ctx.run(async (work) => {
    const referral = await work.tx.referrals.getByReferee(ctx.scope, refereeId);
    const referrer = referral ? await work.tx.participants.get(ctx.scope, referral.referrerId) : null;
    const lines = referral ? (await work.tx.commissions.listByReferral(ctx.scope, referral.id)).filter((c) => c.beneficiaryId === refereeId) : [];
    const net = (c: CommissionRecord) => (c.status === 'rejected' ? 0 : c.amount - c.reversedAmount);
    const welcome = ctx.program.commission?.welcomeReward;
    return {
      refereeId,
      referred: referral !== null,
      eligible: referral !== null && referral.status !== 'rejected' && referrer?.status === 'active',
      status: referral?.status ?? null,
      criteria: { qualifyOn: ctx.program.qualifyOn, minimumPurchase: ctx.program.fraud.minimumPurchase },
      progress: { qualified: referral?.status === 'qualified', purchases: referral?.purchaseCount ?? 0 },
      welcomeReward: welcome
        ? { amount: welcome.amount, credited: lines.filter((c) => c.kind === 'welcome_reward').reduce((total, c) => total + net(c), 0) }
        : null,
      referrer: referrer && ctx.program.refereeView.showReferrer === 'code' ? { code: referrer.code } : null,
      currency: ctx.program.currency,
    };
  });
}

// ------------------------------------------------------------------- admin

export interface ProgramOverview {
  currency: string;
  from: Date;
  to: Date;
  /** Flows within the period. */
  period: {
    accrued: number;
    reversed: number;
    approved: number;
    payoutsRequested: number;
    paid: number;
    /** Purchases of referred customers. */
    revenue: number;
    clicks: number;
    signups: number;
    qualified: number;
  };
  /** What the program's accounts hold now, by bucket. */
  now: Record<Bucket, number>;
}

export async function programOverview(ctx: EngineContext, input: PeriodInput): Promise<ProgramOverview> {
  const data = parse(periodInputSchema, input);
  return ctx.run(async (work) => {
    const range = dayRange(ctx, data.from, data.to);
    const flows = await metrics(work, PROGRAM_OWNERS, ['earned', 'reversed', 'approved', 'requested', 'paid', 'revenue', 'clicks', 'signups', 'qualified'] as const, range);
    const totals = await work.tx.counters.sum(ctx.scope, PROGRAM_OWNERS, BUCKETS.map((b) => `bucket.${b}`), ALL, ALL);
    const now = Object.fromEntries(BUCKETS.map((b) => [b, totals[`bucket.${b}`] ?? 0])) as Record<Bucket, number>;
    return {
      currency: ctx.program.currency,
      from: data.from,
      to: data.to,
      period: {
        // Accrued in the period is what was earned plus what was taken back.
        accrued: flows.earned + flows.reversed,
        reversed: flows.reversed,
        approved: flows.approved,
        payoutsRequested: flows.requested,
        paid: flows.paid,
        revenue: flows.revenue,
        clicks: flows.clicks,
        signups: flows.signups,
        qualified: flows.qualified,
      },
      now,
    };
  });
}

/** The program's referrals with one status, oldest first; pass the last id as `cursor`. */
export async function referralsByStatus(ctx: EngineContext, input: ReferralsByStatusInput): Promise<ReferralRecord[]> {
  const data = parse(referralsByStatusInputSchema, input);
  return ctx.run((work) => work.tx.referrals.listByStatus(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

/** The referrers with the most net earnings or qualified referrals, in a period or all time. */
export async function topReferrers(ctx: EngineContext, input: TopReferrersInput = {}): Promise<{ userId: string; value: number }[]> {
  const data = parse(topReferrersInputSchema, input);
  const name = statName(data.by === 'earnings' ? 'earned' : 'qualified');
  return ctx.run(async (work) => {
    const range = data.from && data.to ? dayRange(ctx, data.from, data.to) : { first: ALL, last: ALL };
    return (await work.tx.counters.top(ctx.scope, name, range.first, range.last, data.limit)).map((r) => ({ userId: r.ownerId, value: r.value }));
  });
}

export interface Funnel {
  clicks: number;
  signups: number;
  qualified: number;
  /** Sign-ups per click, qualified per sign-up, qualified per click, in basis points. */
  clickToSignupBps: number;
  signupToQualifiedBps: number;
  clickToQualifiedBps: number;
}

/** Clicks → sign-ups → qualified in a period, for a referrer or the whole program. */
export async function funnel(ctx: EngineContext, input: FunnelInput): Promise<Funnel> {
  const data = parse(funnelInputSchema, input);
  return ctx.run(async (work) => {
    const owners = data.userId === undefined ? PROGRAM_OWNERS : [data.userId];
    const range = dayRange(ctx, data.from, data.to);
    const { clicks, signups, qualified } = await metrics(work, owners, ['clicks', 'signups', 'qualified'] as const, range);
    return {
      clicks,
      signups,
      qualified,
      clickToSignupBps: share(signups, clicks),
      signupToQualifiedBps: share(qualified, signups),
      clickToQualifiedBps: share(qualified, clicks),
    };
  });
}

// ------------------------------------------------------------ statements

export interface Statement {
  userId: string;
  currency: string;
  from: Date;
  to: Date;
  /** Each bucket at `from`, the entries of [from, to), and each bucket at `to`: closing = opening + the entries. */
  opening: Record<Bucket, number>;
  entries: LedgerEntryRecord[];
  closing: Record<Bucket, number>;
}

const STATEMENT_PAGE = 1000;

/**
 * A referrer's balance statement for [from, to). The opening balance is the
 * current balance less every entry since `from`, so the call reads the
 * account's recent entries, never its whole history.
 */
export async function statement(ctx: EngineContext, input: StatementInput): Promise<Statement> {
  const data = parse(statementInputSchema, input);
  return ctx.run(async (work) => {
    await requireParticipant(work, data.userId);
    const balance = await work.tx.balances.get(ctx.scope, data.userId);
    const since = await work.tx.ledger.sumSince(ctx.scope, data.userId, data.from);
    const opening = {} as Record<Bucket, number>;
    for (const bucket of BUCKETS) opening[bucket] = (balance?.[bucket] ?? 0) - (since[bucket] ?? 0);
    const entries: LedgerEntryRecord[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await work.tx.ledger.listByAccount(ctx.scope, data.userId, { from: data.from, to: data.to, limit: STATEMENT_PAGE, cursor });
      entries.push(...page);
      if (page.length < STATEMENT_PAGE) break;
      cursor = page[page.length - 1]!.id;
    }
    const closing = { ...opening };
    for (const e of entries) closing[e.bucket] += e.amount;
    return { userId: data.userId, currency: ctx.program.currency, from: data.from, to: data.to, opening, entries, closing };
  });
}

/** The header of the tax export; stable across versions. */
export const TAX_EXPORT_HEADER = ['user_id', 'email', 'year', 'currency', 'paid_minor_units', 'paid'] as const;

/**
 * One field of RFC 4180 CSV: quoted when it holds a comma, a quote or a line
 * break, with quotes doubled. A field that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or carriage return) is prefixed
 * with an apostrophe first.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Minor units as a decimal string in the currency's exponent: 12345 USD → "123.45". */
function decimal(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${amount < 0 ? '-' : ''}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Tax preparation export: per referrer, the payouts paid in one calendar
 * year (days in the program's time zone), as RFC 4180 CSV with CRLF line
 * ends and the stable header `TAX_EXPORT_HEADER`, largest first.
 */
export async function taxExport(ctx: EngineContext, input: TaxExportInput): Promise<string> {
  const { year } = parse(taxExportInputSchema, input);
  return ctx.run(async (work) => {
    const rows = await work.tx.counters.top(ctx.scope, statName('paid'), `d:${year}-01-01`, `d:${year}-12-31`, Number.MAX_SAFE_INTEGER);
    const lines = [TAX_EXPORT_HEADER.join(',')];
    for (const { ownerId, value } of rows) {
      if (value === 0) continue;
      const participant = await work.tx.participants.get(ctx.scope, ownerId);
      const currency = ctx.program.currency;
      lines.push([ownerId, participant?.email ?? '', String(year), currency, String(value), decimal(value, currency)].map(csvField).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
  });
}
