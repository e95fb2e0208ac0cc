import type { StatementTracer, StoreTransaction } from '@onehop/core';
import { type Executor, heldWrites } from './executor';
import { type Columns, tableStatements } from './table-statements';
import { accrualRepository } from './tables/accruals';
import { AUDIT_COLUMNS, auditRepository } from './tables/audit-trail';
import { BALANCE_COLUMNS, balanceRepository } from './tables/balances';
import { CLICK_COLUMNS, clickRepository } from './tables/clicks';
import { CODE_COLUMNS, codeRepository } from './tables/codes';
import { COMMISSION_COLUMNS, commissionRepository } from './tables/commissions';
import { counterRepository } from './tables/counters';
import { FINGERPRINT_COLUMNS, fingerprintRepository } from './tables/fingerprints';
import { INVITATION_COLUMNS, invitationRepository } from './tables/invitations';
import { LEDGER_ENTRY_COLUMNS, ledgerRepository } from './tables/ledger-entries';
import { OUTBOX_COLUMNS, outboxRepository } from './tables/outbox';
import { PARTICIPANT_COLUMNS, participantRepository } from './tables/participants';
import { PAYOUT_METHOD_COLUMNS, payoutMethodRepository } from './tables/payout-methods';
import { PAYOUT_RUN_COLUMNS, payoutRunRepository } from './tables/payout-runs';
import { PAYOUT_COLUMNS, payoutRepository } from './tables/payouts';
import { REFERRAL_COLUMNS, referralRepository } from './tables/referrals';
import { REVIEW_COLUMNS, reviewRepository } from './tables/reviews';
import { SOURCE_EVENT_COLUMNS, sourceEventRepository } from './tables/source-events';
import { TAX_PROFILE_COLUMNS, taxProfileRepository } from './tables/tax-profiles';

export { clientExecutor, type Executor } from './executor';

/** Every table's columns as the store reads them (each table's file holds its own). */
const COLUMNS: Columns = {
  participants: PARTICIPANT_COLUMNS,
  codes: CODE_COLUMNS,
  referrals: REFERRAL_COLUMNS,
  audit_trail: AUDIT_COLUMNS,
  source_events: SOURCE_EVENT_COLUMNS,
  commissions: COMMISSION_COLUMNS,
  ledger_entries: LEDGER_ENTRY_COLUMNS,
  fingerprints: FINGERPRINT_COLUMNS,
  clicks: CLICK_COLUMNS,
  reviews: REVIEW_COLUMNS,
  balances: BALANCE_COLUMNS,
  payouts: PAYOUT_COLUMNS,
  payout_methods: PAYOUT_METHOD_COLUMNS,
  outbox: OUTBOX_COLUMNS,
  invitations: INVITATION_COLUMNS,
  payout_runs: PAYOUT_RUN_COLUMNS,
  tax_profiles: TAX_PROFILE_COLUMNS,
};

/** The repositories of one transaction, and the call that sends the writes it holds back. */
export interface TransactionRepositories {
  repositories: StoreTransaction;
  /** Sends the held writes (see `heldWrites`); the store calls it before COMMIT. */
  flush(): Promise<void>;
}

/**
 * The repositories of one transaction, one per table (`tables/`), over one
 * set of held writes (`executor.ts`: an accrual's writes are one
 * statement), each statement traced by `trace` when the engine has a tracer.
 * No business rule lives here.
 */
export function repositories(executor: Executor, schema: string, trace?: StatementTracer): TransactionRepositories {
  const writes = heldWrites(executor, trace);
  const sql = tableStatements(writes, schema, COLUMNS);
  const repositories: StoreTransaction = {
    accruals: accrualRepository(sql),
    participants: participantRepository(sql),
    codes: codeRepository(sql),
    referrals: referralRepository(sql),
    audit: auditRepository(sql),
    fingerprints: fingerprintRepository(sql),
    clicks: clickRepository(sql),
    reviews: reviewRepository(sql),
    events: sourceEventRepository(sql),
    commissions: commissionRepository(sql),
    ledger: ledgerRepository(sql),
    balances: balanceRepository(sql),
    counters: counterRepository(sql),
    payouts: payoutRepository(sql),
    outbox: outboxRepository(sql),
    invitations: invitationRepository(sql),
    payoutMethods: payoutMethodRepository(sql),
    payoutRuns: payoutRunRepository(sql),
    taxProfiles: taxProfileRepository(sql),
  };
  return { repositories, flush: writes.flush };
}
