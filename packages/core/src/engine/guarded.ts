import type { UniqueViolationError } from '../errors/errors';
import type { EngineContext } from './context';
import type { Work } from './work';

/**
 * Optimistic attempts before a call takes the referrer's lock instead. Two: on
 * a hot referrer (eight loops buying for one referrer's referees) four lost
 * guards cost about 2.9 lost write sets and 10.5 statements per purchase, two
 * about 1.8 and 9 (docs/benchmarks.md).
 */
const OPTIMISTIC_ATTEMPTS = 2;

/** Thrown by an optimistic attempt whose write set lost its guard: another call for the same referrer applied first. */
export class GuardLost extends Error {
  constructor(participantId: string) {
    super(`onehop: participant ${participantId} changed since it was read`);
  }
}

/** Thrown by an optimistic attempt that needs the referrer's lock to go on (a fraud rule rejects the referral). */
export class LockNeeded extends Error {
  constructor() {
    super('onehop: this call needs the referrer locked');
  }
}

/**
 * Runs a read → decide → apply call: optimistically first (`locked` false:
 * nothing is locked, and the write set applies only if the referrer's
 * version is still the one read); when the guard is lost, it reads and
 * decides again after a random pause that doubles each time, and after a
 * few lost guards (a hot referrer) it runs with the referrer locked
 * (`locked` true), which always applies: every call makes progress. With
 * `lockFirst` it runs locked at once.
 */
export async function runGuarded<T>(
  ctx: EngineContext,
  fn: (work: Work, locked: boolean) => Promise<T>,
  onUnique: (error: UniqueViolationError) => 'retry' | Error,
  lockFirst = false,
): Promise<T> {
  for (let attempt = 0; attempt < (lockFirst ? 0 : OPTIMISTIC_ATTEMPTS); attempt++) {
    try {
      return await ctx.run((work) => fn(work, false), onUnique);
    } catch (error) {
      if (error instanceof LockNeeded) break;
      if (!(error instanceof GuardLost)) throw error;
      ctx.logger?.debug?.('onehop: write guard lost, deciding again', { programId: ctx.scope.programId, attempt: attempt + 1 });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
    }
  }
  return ctx.run((work) => fn(work, true), onUnique);
}
