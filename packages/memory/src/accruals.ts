import type { AccrualRepository, Scope, SourceEventRecord, StoreTransaction } from '@onehop/core';
import { UNIQUE_CONSTRAINTS, UniqueViolationError } from '@onehop/core';
import type { Partition } from './partition';
import { key, type Undo } from './table';
import { bumpVersion } from './tables/participants';
import { byOccurrence, eventWithCommissions } from './tables/source-events';

/** The refunds and chargebacks related to purchase `eventId`, in `listRelated`'s order. */
function relatedReversals(p: Partition, eventId: string): SourceEventRecord[] {
  const rows = [...p.events.refund.group('related', eventId), ...p.events.chargeback.group('related', eventId)];
  return rows.sort(byOccurrence);
}

/**
 * The `accruals` repository: the read answered from the tables' indexes, and
 * a write set applied in one synchronous step through the other
 * repositories, so its undo joins the running transaction's log (transactions
 * run one at a time: nothing comes between the guard and the writes).
 */
export function accrualRepository(at: (scope: Scope) => Partition, current: { undo: Undo[] }, tx: Omit<StoreTransaction, 'accruals'>): AccrualRepository {
  return {
    read: (scope, query) => {
      const p = at(scope);
      const referral = p.referrals.getByUnique(UNIQUE_CONSTRAINTS.referralReferee, query.refereeId);
      const owner = referral?.referrerId;
      return {
        event: query.event ? eventWithCommissions(p, query.event.kind, query.event.eventId) : null,
        referral,
        referrer: owner === undefined ? null : p.participants.get(owner),
        referrerVersion: owner === undefined ? 0 : (p.versions.get(owner) ?? 0),
        referralVersion: referral === null ? 0 : (p.referralVersions.get(referral.id) ?? 0),
        counters: query.counters.map((c) => (owner === undefined ? 0 : p.counters.get(owner, c.name, c.period))),
        referralInReview: referral !== null && p.reviews.getByUnique(UNIQUE_CONSTRAINTS.reviewOpen, key('referral', referral.id)) !== null,
        bonusEventIds: query.bonuses && owner !== undefined ? p.events.bonus.groupKeys('referrer', owner) : [],
        relatedReversals: query.event?.kind === 'purchase' ? relatedReversals(p, query.event.eventId) : [],
      };
    },
    apply: (writes) => {
      const { scope, participantId, version, exclusive, referral } = writes.guard;
      const p = at(scope);
      if ((p.versions.get(participantId) ?? 0) !== version) return false;
      if (referral !== null && (p.referralVersions.get(referral.id) ?? 0) !== referral.version) return false;
      // Checked before the first write, so a redelivery racing this one leaves nothing behind even inside a transaction that goes on.
      for (const e of writes.events) if (p.events[e.kind].peek(e.eventId)) throw new UniqueViolationError(UNIQUE_CONSTRAINTS.sourceEvent);
      if (exclusive) bumpVersion(p, participantId, current.undo);
      if (referral !== null) bumpVersion(p, referral.id, current.undo, p.referralVersions);
      for (const row of writes.commissions) tx.commissions.insert(row);
      for (const b of writes.balances) tx.balances.add(scope, b.accountId, b.deltas, b.at);
      if (writes.ledger.length > 0) tx.ledger.append(writes.ledger);
      for (const r of writes.referrals) tx.referrals.update(scope, r.id, r.patch);
      for (const row of writes.events) tx.events.insert(row);
      for (const row of writes.reviews) tx.reviews.insert(row);
      for (const row of writes.fingerprints) tx.fingerprints.insert(row);
      for (const row of writes.audit) tx.audit.append(row);
      if (writes.counters.length > 0) tx.counters.addMany(writes.counters);
      if (writes.outbox.length > 0) tx.outbox.insertMany(writes.outbox);
      return true;
    },
  };
}
