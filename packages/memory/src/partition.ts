import { auditTable } from './tables/audit';
import { balancesTable } from './tables/balances';
import { clicksTable } from './tables/clicks';
import { codesTable } from './tables/codes';
import { commissionsTable } from './tables/commissions';
import { counterTable } from './tables/counters';
import { fingerprintsTable } from './tables/fingerprints';
import { invitationsTable } from './tables/invitations';
import { ledgerTable } from './tables/ledger';
import { outboxTable } from './tables/outbox';
import { participantsTable } from './tables/participants';
import { payoutMethodsTable } from './tables/payout-methods';
import { payoutRunsTable } from './tables/payout-runs';
import { payoutsTable } from './tables/payouts';
import { referralsTable } from './tables/referrals';
import { reviewsTable } from './tables/reviews';
import { sourceEventTables } from './tables/source-events';
import { taxProfilesTable } from './tables/tax-profiles';

/**
 * The tables of one program in one mode. Every key inside is the row's own id
 * (or ids), never prefixed with the program and mode: a lookup hashes a
 * string the engine already holds, whose hash V8 keeps, instead of building
 * and hashing a new key string on every call. Group indexes keep insertion
 * order, which is the order the store contract promises for listings.
 */
export class Partition {
  readonly participants = participantsTable();
  readonly codes = codesTable();
  readonly referrals = referralsTable();
  readonly audit = auditTable();
  readonly fingerprints = fingerprintsTable();
  readonly reviews = reviewsTable();
  readonly clicks = clicksTable();
  readonly events = sourceEventTables();
  readonly commissions = commissionsTable();
  readonly ledger = ledgerTable();
  readonly balances = balancesTable();
  readonly counters = counterTable();
  readonly payouts = payoutsTable();
  readonly outbox = outboxTable();
  readonly invitations = invitationsTable();
  readonly payoutMethods = payoutMethodsTable();
  /** Each participant's version (see `AccrualRepository`): absent is 0. */
  readonly versions = new Map<string, number>();
  /** Each referral's version, bumped by the write sets that name it: absent is 0. */
  readonly referralVersions = new Map<string, number>();
  readonly payoutRuns = payoutRunsTable();
  readonly taxProfiles = taxProfilesTable();
}
