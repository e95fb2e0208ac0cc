import type { Actor, Bucket, LedgerEntryKind, LedgerSourceType } from '../store/records';

/** Money moving within one account: signed amounts per bucket, summing to the account's net change. */
export interface Posting {
  accountId: string;
  moves: Partial<Record<Bucket, number>>;
  kind: LedgerEntryKind;
  commissionId?: string | null;
  payoutId?: string | null;
  sourceType: LedgerSourceType;
  sourceId: string;
  actor: Actor;
  reason?: string | null;
}
