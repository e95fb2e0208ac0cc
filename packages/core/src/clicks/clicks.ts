import { normalizeCode } from '../codes/normalize';
import { type EngineContext, parse } from '../engine/context';
import { newId } from '../engine/ids';
import { hashSignals } from '../fraud/signals';
import type { ClickRecord } from '../store/records';
import { type ListClicksInput, listClicksInputSchema, type RecordClickInput, recordClickInputSchema } from './inputs';

export type ClickResult =
  | { status: 'recorded'; click: ClickRecord }
  /** No such code in the program: nothing is stored, so made-up codes never reach the statistics. */
  | { status: 'ignored'; reason: 'UNKNOWN_CODE'; message: string }
  /** Too many clicks from one IP address within the program's `fraud.clickVelocity` window: nothing is stored. */
  | { status: 'refused'; reason: 'CLICK_VELOCITY'; message: string };

/**
 * Records a visit through a referral link, for funnel statistics. A click of
 * an unknown code is ignored; a flood from one IP address is refused by the
 * `clickVelocity` fraud rule. Under concurrent floods the count may overshoot
 * `max` by the number of clicks in flight: it limits volume, not a balance.
 */
export async function recordClick(ctx: EngineContext, input: RecordClickInput): Promise<ClickResult> {
  const data = parse(recordClickInputSchema, input);
  const code = normalizeCode(data.code);
  const { ip: ipHash } = hashSignals(ctx, { ip: data.ip });
  const velocity = ctx.program.fraud.clickVelocity;
  return ctx.run(async (work): Promise<ClickResult> => {
    const now = ctx.clock.now();
    const owner = await work.tx.codes.get(ctx.scope, code);
    if (!owner) return { status: 'ignored', reason: 'UNKNOWN_CODE', message: `No referral code "${code}" in this program; the click is not stored.` };
    if (
      velocity &&
      ipHash !== null &&
      (await work.tx.clicks.countByIpSince(ctx.scope, ipHash, new Date(now.getTime() - velocity.windowMinutes * 60_000))) >= velocity.max
    ) {
      return {
        status: 'refused',
        reason: 'CLICK_VELOCITY',
        message: `More than ${velocity.max} clicks from one address within ${velocity.windowMinutes} minutes; the click is not stored.`,
      };
    }
    const click: ClickRecord = {
      programId: ctx.scope.programId,
      mode: ctx.scope.mode,
      id: newId('clk'),
      code,
      referrerId: owner.userId,
      landingUrl: data.landingUrl ?? null,
      source: data.source ?? null,
      ipHash,
      at: now,
    };
    await work.tx.clicks.insert(click);
    work.tally(owner.userId, 'clicks', 1);
    return { status: 'recorded', click };
  });
}

/** A referrer's clicks, oldest first; pass the last click's id as `cursor` for the next page. */
export async function listClicks(ctx: EngineContext, input: ListClicksInput): Promise<ClickRecord[]> {
  const data = parse(listClicksInputSchema, input);
  return ctx.read((work) => work.tx.clicks.listByReferrer(ctx.scope, data.userId, { limit: data.limit, cursor: data.cursor }));
}
