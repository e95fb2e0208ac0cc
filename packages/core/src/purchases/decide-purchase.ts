import { type AccrualCounters, type AccrualOutcome, type AccrualSubject, decideAccrual, type EventLines } from '../accrual/decide';
import type { ProgramConfig } from '../config/program';
import type { WriteSetBuilder } from '../engine/write-set-builder';
import type { SignalHashes, TargetedFinding } from '../fraud/rules';
import { fingerprintRows } from '../fraud/signals';
import type { SourceEventDetails } from '../store/records';

/** A validated purchase as the decision sees it. */
export interface PurchaseFacts {
  eventId: string;
  /** In the program's currency (converted when the purchase was in another: `details.conversion`). */
  amount: number;
  productId: string | null;
  occurredAt: Date;
  payloadHash: string;
  hashes: SignalHashes;
  /** The plan bought, for reward conditions (`plan`); null when not given. */
  planId?: string | null | undefined;
  /** The purchase's own data, for reward conditions (`metadata`); not stored by the decision. */
  metadata?: Record<string, unknown> | null | undefined;
  /** More of the answer to keep on the purchase's source event, for a redelivery (e.g. what its promo code did). */
  resultExtras?: Record<string, unknown>;
  /** The purchase's currency, conversion, product, subscription and metadata, kept on its source event. */
  details?: SourceEventDetails;
}

/**
 * Decides a new purchase of a read subject, without I/O: what it earns
 * (`decideAccrual`), the payment fingerprints, the revenue statistics and the
 * purchase's source event (whose unique key keeps a redelivery from being
 * recorded twice), all in `writes`. A rejection of the referral by a rule
 * writes nothing.
 */
export function decidePurchase(
  writes: WriteSetBuilder,
  program: ProgramConfig,
  counters: AccrualCounters,
  subject: AccrualSubject,
  purchase: PurchaseFacts,
  line: EventLines | null,
  findings: TargetedFinding[],
): AccrualOutcome {
  const { referral } = subject;
  const outcome = decideAccrual(writes, program, counters, subject, purchaseEvent(purchase), line, findings);
  if (outcome.rejected) return outcome;
  for (const row of fingerprintRows(writes, referral.refereeId, purchase.hashes, 'purchase', referral.referrerId)) writes.rows.fingerprints.push(row);
  writes.tally(referral.referrerId, 'revenue', purchase.amount);
  writes.rows.events.push({
    programId: writes.scope.programId,
    mode: writes.scope.mode,
    kind: 'purchase',
    eventId: purchase.eventId,
    payloadHash: purchase.payloadHash,
    referralId: referral.id,
    referrerId: referral.referrerId,
    refereeId: referral.refereeId,
    // In the purchase's own currency: its refunds come in it and reverse its lines by the share refunded.
    amount: purchase.details?.conversion?.amount ?? purchase.amount,
    reversedAmount: 0,
    relatedEventId: null,
    result: {
      referralId: referral.id,
      qualified: outcome.qualified,
      commissionIds: outcome.commissions.map((c) => c.id),
      skipped: outcome.skipped,
      ...purchase.resultExtras,
      ...(purchase.details ? { details: purchase.details } : {}),
    },
    occurredAt: purchase.occurredAt,
    recordedAt: writes.now(),
  });
  return outcome;
}

/** The accrual event of a purchase. */
export const purchaseEvent = (purchase: PurchaseFacts) => ({
  trigger: 'purchase' as const,
  sourceKind: 'purchase' as const,
  sourceEventId: purchase.eventId,
  at: purchase.occurredAt,
  purchase: {
    amount: purchase.amount,
    productId: purchase.productId,
    conversion: purchase.details?.conversion ?? null,
    planId: purchase.planId ?? null,
    metadata: purchase.metadata ?? null,
  },
  hashes: purchase.hashes,
});
