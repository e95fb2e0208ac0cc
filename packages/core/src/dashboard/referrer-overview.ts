import { periodBounds } from '../clock/periods';
import { dayKey, INVITATION_COUNTER, STATUS_COUNTER, statName } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import { type Balances, toBalances } from '../ledger/balances';
import type { InvitationStatus } from '../store/records';
import { INVITATION_STATUSES } from '../store/records';
import { type UserInput, userInputSchema } from './inputs';
import { keyed, metrics, requireParticipant, share, statusCounts } from './shared';

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
  return ctx.read(async (work) => {
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
