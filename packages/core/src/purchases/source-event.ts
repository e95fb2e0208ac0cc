import type { Work } from '../engine/work';
import type { SourceEventDetails, SourceEventRecord } from '../store/records';

/**
 * Stores an event from outside (a refund, a chargeback, a reinstatement, a
 * cancellation) with what the engine answered, so a repeat is answered from
 * it: in the work's scope, recorded now, nothing of it reversed.
 */
export async function insertSourceEvent(work: Work, row: Omit<SourceEventRecord, 'programId' | 'mode' | 'reversedAmount' | 'recordedAt'>): Promise<void> {
  await work.tx.events.insert({ programId: work.scope.programId, mode: work.scope.mode, ...row, reversedAmount: 0, recordedAt: work.now() });
}

/** The currency, conversion, product and metadata kept on a purchase, refund or chargeback; null when none were kept. */
export function detailsOf(event: SourceEventRecord): SourceEventDetails | null {
  const details = event.result.details;
  return typeof details === 'object' && details !== null ? (details as SourceEventDetails) : null;
}
