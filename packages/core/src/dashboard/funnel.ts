import { PROGRAM_OWNERS } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import { type FunnelInput, funnelInputSchema } from './inputs';
import { dayRange, metrics, share } from './shared';

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
  return ctx.read(async (work) => {
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
