import type { UniqueViolationError } from '../errors/errors';
import type { EngineContext } from './context';
import type { Work } from './work';

/** Thrown by an optimistic attempt whose write set lost its guard: another call for the same referrer applied first. */
export class GuardLost extends Error {
  constructor(readonly participantId: string) {
    super(`onehop: participant ${participantId} changed since it was read`);
  }
}

/** Thrown by an optimistic attempt that needs the lock of the referrer it read to go on (a fraud rule rejects the referral, refunds wait for the purchase). */
export class LockNeeded extends Error {
  constructor(readonly participantId: string) {
    super(`onehop: this call needs participant ${participantId} locked`);
  }
}

/**
 * Runs a read → decide → apply call: optimistically first (`locked` false:
 * nothing is locked, and the write set applies only if the referrer's
 * version is still the one read); when the guard is lost (another call for
 * the referrer applied first), it reads and decides again with the referrer
 * locked (`locked` true), which always applies: every call makes progress,
 * and calls that collide queue on the lock instead of pausing and guessing
 * again. One optimistic attempt, not more: on a hot referrer (eight loops
 * buying for one referrer's referees) a second one mostly lost too (with
 * two, 1.8 lost write sets, 9.2 statements and 2.5 ms of client CPU per
 * purchase; with one, 0.98, 6.9 and 1.6 ms: docs/benchmarks.md), and on a
 * referrer that is not hot a lost guard is rare. An optimistic attempt that needs the
 * lock to go on (`LockNeeded`) goes to the locked attempt at once. The locked
 * attempt is told which referrer the optimistic one read (`lockedReferrer`),
 * so it can take the lock before its read instead of reading, locking and
 * reading again. With `lockFirst` it runs locked at once.
 */
export async function runGuarded<T>(
  ctx: EngineContext,
  fn: (work: Work, locked: boolean, lockedReferrer?: string) => Promise<T>,
  onUnique: (error: UniqueViolationError) => 'retry' | Error,
  lockFirst = false,
): Promise<T> {
  // The referrer the optimistic attempt read, whose lock the locked attempt takes before its read.
  let referrer: string | undefined;
  if (!lockFirst) {
    try {
      return await ctx.run((work) => fn(work, false), onUnique);
    } catch (error) {
      if (!(error instanceof GuardLost) && !(error instanceof LockNeeded)) throw error;
      if (error instanceof GuardLost) ctx.logger?.debug?.('onehop: write guard lost, deciding again with the referrer locked', { programId: ctx.scope.programId });
      referrer = error.participantId;
    }
  }
  return ctx.run((work) => fn(work, true, referrer), onUnique);
}
