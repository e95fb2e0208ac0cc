import type { Awaitable } from '../reads';
import type { CommissionRecord, ParticipantRecord, ReferralRecord, Scope, SourceEventKind, SourceEventRecord } from '../records';
import type { WriteSet } from '../write-set';

/** What an accrual reads, in one call: the referral of `refereeId` and what its referrer's decision depends on. */
export interface AccrualQuery {
  refereeId: string;
  /** The source event a redelivery is answered from (with the lines its `result.commissionIds` names, as `getWithCommissions`). */
  event?: { kind: SourceEventKind; eventId: string };
  /** Counters of the referrer to read, by name and period. */
  counters: { name: string; period: string }[];
  /** Whether to list the referrer's `bonus` source events. */
  bonuses: boolean;
}

/** The answer to an `AccrualQuery`, read at one moment. */
export interface AccrualFacts {
  event: { event: SourceEventRecord; commissions: CommissionRecord[] } | null;
  referral: ReferralRecord | null;
  /** The referral's referrer, or null when there is no referral (or no such participant). */
  referrer: ParticipantRecord | null;
  /** The referrer's version (a number that changes whenever the participant is locked or written); 0 without a referrer. */
  referrerVersion: number;
  /** The referral's version (changes whenever `apply` writes it); 0 without a referral. */
  referralVersion: number;
  /** The value of each counter the query named, in its order; 0 for a counter that has no row. */
  counters: number[];
  /** Whether an open review holds the referral. */
  referralInReview: boolean;
  /** Event ids of the referrer's `bonus` source events, when the query asked; else empty. */
  bonusEventIds: string[];
  /**
   * When the query's event is a purchase: the refunds and chargebacks whose
   * `relatedEventId` is its event id, whatever their result, in
   * `listRelated`'s order (occurred at, kind, event id); else empty. (Which
   * of them still wait for the purchase is the engine's to decide.)
   */
  relatedReversals: SourceEventRecord[];
}

/**
 * Reading and writing an accrual as two calls, so that the decision between
 * them is pure. Every participant has a version: an exclusive `apply` bumps
 * it, and so does every read of the participant with `{ forUpdate: true }`
 * (whatever such a transaction changes, a write set decided before it must
 * not apply). Every referral has one too, bumped by an `apply` that names it.
 */
export interface AccrualRepository {
  /** Everything the decision needs, in one read (one statement on a database). */
  read(scope: Scope, query: AccrualQuery): Awaitable<AccrualFacts>;
  /**
   * Applies the write set atomically if `writes.guard` holds (the participant
   * and the referral it names still have those versions), bumping the
   * referral's version and, when the guard is exclusive, the participant's,
   * and returns true; returns false and writes nothing when the guard no
   * longer holds. A unique
   * violation (a source event recorded meanwhile) throws as any insert does.
   * The engine writes nothing after an `apply` in the same transaction, so a
   * store may commit the write set by itself when the transaction wrote
   * nothing before it (the PostgreSQL store on a pool sends it without BEGIN
   * and COMMIT); a call that fails must still have written nothing.
   */
  apply(writes: WriteSet): Awaitable<boolean>;
}
