import type { PayoutSendOutcome } from '../contract';

/** The parts of a payout batch PayPal returns (create and show payout batch) that settle a payout. */
export interface PayPalBatch {
  batch_header?: { payout_batch_id?: string; batch_status?: string };
  items?: readonly { transaction_status?: string; errors?: { name?: string } }[];
}

/** Item statuses whose money has not arrived yet: PayPal still processes, holds or waits for the recipient to claim it. */
const ITEM_PROCESSING = new Set(['NEW', 'PENDING', 'UNCLAIMED', 'ONHOLD', 'ON_HOLD']);
/** An unclaimed item PayPal returned after 30 days may be paid once the payee has an account. */
const ITEM_RETRYABLE = new Set(['RETURNED']);

/**
 * A payout batch of one item as an outcome. The item's `transaction_status`
 * decides when PayPal lists it (a batch is SUCCESS once processed, even when
 * its item waits UNCLAIMED); otherwise the batch status: PENDING and
 * PROCESSING are processing, SUCCESS paid, DENIED and CANCELED failed.
 */
export function outcomeOfBatch(batch: PayPalBatch): PayoutSendOutcome | undefined {
  const batchId = batch.batch_header?.payout_batch_id;
  const batchStatus = batch.batch_header?.batch_status;
  if (!batchId || !batchStatus) return undefined;
  const item = batch.items?.[0];
  const itemStatus = item?.transaction_status;
  if (itemStatus) {
    if (itemStatus === 'SUCCESS') return { status: 'paid', externalReference: batchId };
    if (ITEM_PROCESSING.has(itemStatus)) return { status: 'processing', externalReference: batchId };
    const why = item.errors?.name ? ` (${item.errors.name})` : '';
    return { status: 'failed', reason: `PayPal payout item ${itemStatus}${why}.`, retryable: ITEM_RETRYABLE.has(itemStatus) };
  }
  switch (batchStatus) {
    case 'SUCCESS':
      return { status: 'paid', externalReference: batchId };
    case 'PENDING':
    case 'PROCESSING':
      return { status: 'processing', externalReference: batchId };
    case 'DENIED':
    case 'CANCELED':
      return { status: 'failed', reason: `PayPal payout batch ${batchStatus}.`, retryable: false };
    default:
      return undefined;
  }
}
