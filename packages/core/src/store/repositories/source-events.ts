import type { Awaitable } from '../reads';
import type { CommissionRecord, Scope, SourceEventKind, SourceEventRecord } from '../records';

export interface SourceEventRepository {
  /** Throws `UniqueViolationError('source_event')` if (kind, eventId) exists. */
  insert(row: SourceEventRecord): Awaitable<void>;
  get(scope: Scope, kind: SourceEventKind, eventId: string): Awaitable<SourceEventRecord | null>;
  /**
   * A recorded event together with the commission lines its `result.commissionIds`
   * names (a string array; absent means none), in their current state and in
   * that order. One read: answering a redelivery should cost one round trip.
   */
  getWithCommissions(scope: Scope, kind: SourceEventKind, eventId: string): Awaitable<{ event: SourceEventRecord; commissions: CommissionRecord[] } | null>;
  /**
   * The events whose `relatedEventId` is `relatedEventId` (the refunds and
   * chargebacks of a purchase, the reinstatement of a chargeback), oldest
   * `occurredAt` first, then by kind and event id.
   */
  listRelated(scope: Scope, relatedEventId: string): Awaitable<SourceEventRecord[]>;
  /**
   * Every event of these kinds, in no particular order (the engine sorts
   * them): what `simulatePlan` replays, whose kinds the engine chooses.
   */
  listByKinds(scope: Scope, kinds: readonly SourceEventKind[]): Awaitable<SourceEventRecord[]>;
  /** `result` and the referral's ids change once: when a reversal recorded before its purchase is applied to it. */
  update(
    scope: Scope,
    kind: SourceEventKind,
    eventId: string,
    patch: Partial<Pick<SourceEventRecord, 'reversedAmount' | 'result' | 'referralId' | 'referrerId' | 'refereeId'>>,
  ): Awaitable<void>;
}
