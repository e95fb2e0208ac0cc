// Over 300 lines: every stored record type in one place, the shape a store author implements (one concept: the stored rows).
import type { Mode } from '../config/program';

/**
 * Every stored row is keyed by program id and mode first: many programs share
 * one database, and mock rows never mix with live ones.
 *
 * Rows are built with `programId` and `mode` written out, never as
 * `{ ...scope, id, ... }`: on Node 20, adding properties after a spread gives
 * every object a hidden class of its own, which costs about 0.5 µs per
 * property and makes every later read of the row slow.
 */
export interface Scope {
  programId: string;
  mode: Mode;
}

export const PARTICIPANT_STATUSES = ['active', 'suspended'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** An enrolled user: someone who can refer others. */
export interface ParticipantRecord extends Scope {
  /** The application's own user id. */
  userId: string;
  email: string | null;
  /** `normalizeEmail(email)`, for matching one person's addresses. */
  emailNormalized: string | null;
  /** The participant's current code, normalised. */
  code: string;
  status: ParticipantStatus;
  /** Version of the program terms the user accepted, if any. */
  termsVersion: string | null;
  enrolledAt: Date;
  updatedAt: Date;
  /** The partner group the participant is in (`moveToGroup`); null: the default group. */
  groupId: string | null;
  /** The participant's own terms (`setParticipantTerms`), over their group's; null: none. */
  customTerms: ParticipantTerms | null;
}

/**
 * A participant's own terms, over their group's: a rate or a fixed amount
 * replacing the group's base rule on the lines it decides (over tiers,
 * promotions and product overrides), and a holding period for every line
 * they earn. Each is optional.
 */
export interface ParticipantTerms {
  /** Basis points, instead of the group's base rule. */
  rateBps?: number;
  /** Minor units per line, instead of the group's base rule. */
  amount?: number;
  /** Days each line they earn stays pending before `approveDue` may approve it. */
  holdingDays?: number;
}

export const CODE_STATUSES = ['active', 'retired'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

/**
 * A referral code. Codes are never deleted: a retired code keeps resolving to
 * its user and, being a row under the unique key, can never be given to anyone else.
 */
export interface CodeRecord extends Scope {
  /** Normalised code; unique per program and mode. */
  code: string;
  userId: string;
  status: CodeStatus;
  /** Chosen by a person rather than generated. */
  vanity: boolean;
  createdAt: Date;
  retiredAt: Date | null;
}

export const REFERRAL_STATUSES = ['pending', 'qualified', 'rejected'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** One referee attributed to one referrer. A referee has at most one, ever. */
export interface ReferralRecord extends Scope {
  id: string;
  referrerId: string;
  refereeId: string;
  /** The normalised code the referee came with (may be a retired one). */
  code: string;
  status: ReferralStatus;
  /** Why the status is what it is (e.g. the rejection reason). */
  statusReason: string | null;
  /** Channel the referee came from (e.g. `utm_source`), if known. */
  source: string | null;
  /** The referee's country (ISO 3166-1 alpha-2), if the application gave it. */
  country: string | null;
  refereeEmailNormalized: string | null;
  clickedAt: Date | null;
  attributedAt: Date;
  qualifiedAt: Date | null;
  /** Purchases recorded for this referee so far. */
  purchaseCount: number;
  /** Sum of those purchases, in minor units. */
  revenue: number;
  updatedAt: Date;
}

export const ACTOR_TYPES = ['system', 'admin', 'user'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who did something: the engine itself, an admin, or the user concerned. */
export interface Actor {
  type: ActorType;
  /** Admin's or user's id; null for the system. */
  id: string | null;
}

export const AUDIT_ENTITY_TYPES = [
  'participant',
  'code',
  'referral',
  'attribution_attempt',
  'commission',
  'payout',
  'tier',
  'review',
  'invitation',
  'event',
  'payout_run',
  'tax_profile',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** One append-only line of the audit trail. */
export interface AuditRecord extends Scope {
  id: string;
  entityType: AuditEntityType;
  entityId: string;
  /** What happened, e.g. `participant.enrolled`, `code.retired`, `attribution.rejected`. */
  action: string;
  actor: Actor;
  /** Status before and after, where the event changes one. */
  before: string | null;
  after: string | null;
  reason: string | null;
  /** Id of the event that caused it (e.g. a purchase event id), if any. */
  sourceEvent: string | null;
  /** Further structured detail (JSON-serialisable). */
  data: Record<string, unknown> | null;
  at: Date;
}

export const SOURCE_EVENT_KINDS = ['purchase', 'refund', 'chargeback', 'bonus', 'reinstatement', 'cancellation'] as const;
export type SourceEventKind = (typeof SOURCE_EVENT_KINDS)[number];

/**
 * An event from outside (a purchase, a refund, a chargeback) or a one-time
 * bonus, stored once per (kind, eventId) so redeliveries change nothing.
 */
export interface SourceEventRecord extends Scope {
  kind: SourceEventKind;
  eventId: string;
  /** SHA-256 of the event's canonical payload: the same id with another payload is a conflict. */
  payloadHash: string;
  referralId: string | null;
  referrerId: string | null;
  refereeId: string | null;
  /**
   * The event's amount in minor units (purchase, refund or chargeback amount;
   * bonus amount), in the event's currency: `result.details.currency`, the
   * program's when there is none (see `SourceEventDetails`).
   */
  amount: number;
  /** For a purchase: refunded and charged-back amount so far, in the purchase's currency. */
  reversedAmount: number;
  /**
   * For a refund or chargeback: the purchase it reverses (recorded before its
   * purchase arrived, it waits with `result.pending` until then). For a
   * reinstatement: the chargeback it undoes. For a cancellation: the payment
   * of the period it ends, if given.
   */
  relatedEventId: string | null;
  /** What the engine answered, returned again on redelivery. */
  result: Record<string, unknown>;
  occurredAt: Date;
  recordedAt: Date;
}

/**
 * A purchase's, refund's or chargeback's own facts, kept in its `result`
 * (`result.details`) so `simulatePlan` can decide it again; absent on events
 * recorded before onehop kept them. `amount` and
 * `reversedAmount` of the event are in `currency` (the purchase's currency;
 * a refund is in its purchase's), and `programAmount` is `amount` in the
 * program's currency: converted with `conversion` when the currencies differ,
 * else equal to it.
 */
export interface SourceEventDetails {
  /** ISO 4217 code of the event's `amount`. */
  currency: string;
  /** `amount` in the program's currency, minor units, rounded once. */
  programAmount: number;
  /** The rate that converted it; null when the event is in the program's currency. A refund's is its purchase's. */
  conversion: Conversion | null;
  productId: string | null;
  /** The plan bought, for reward conditions (absent on events recorded before it was kept). */
  planId?: string | null;
  subscriptionId: string | null;
  /** The purchase's `metadata` as given (keep personal data out of it). */
  metadata: Record<string, unknown> | null;
}

/**
 * How a foreign amount became an amount in the program's currency: the
 * original amount and currency, and the exact rate (`rate × 10^-rateScale`
 * major units of the program's currency per major unit of `currency`,
 * e.g. 1.0845 is `rate: 10845, rateScale: 4`) with the time it was quoted.
 */
export interface Conversion {
  /** The original amount, minor units of `currency`. */
  amount: number;
  currency: string;
  rate: number;
  rateScale: number;
  /** When the provider quoted the rate (ISO 8601). */
  rateAt: string;
}

export const COMMISSION_KINDS = ['referral', 'milestone_bonus', 'welcome_reward'] as const;
export type CommissionKind = (typeof COMMISSION_KINDS)[number];

export const COMMISSION_STATUSES = ['pending', 'on_hold', 'approved', 'paid', 'rejected', 'reversed'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/** How a commission's amount was computed, stored with it so anyone can see why it is that number. */
export interface CommissionCalculation {
  /** `fixed`, `percentage`, `tiered`, `milestone` or `welcome`. */
  rule: string;
  /** Where the rate or amount came from: `base`, `tier`, `promotion`, `product_override`, `participant_terms`, `reward`, `milestone`, `bounty`, `welcome`. */
  source: string;
  tier?: { index: number; from: number; basis: string; period: string; periodKey: string; countBefore: number };
  promotionId?: string;
  productId?: string;
  rateBps?: number;
  fixedAmount?: number;
  /** The amount a rate was applied to (the purchase amount), 0 for a fixed amount. */
  baseAmount: number;
  rounding: string;
  /** The amount before caps. */
  uncapped: number;
  cappedBy?: 'per_commission' | 'per_referrer_period';
  milestone?: number;
  /**
   * A purchase in another currency than the program's: its amount, currency
   * and the rate that converted it. `baseAmount` is then the converted
   * amount, and a rate was applied to the exact converted value, so the line
   * is rounded once.
   */
  conversion?: Conversion;
  /** The partner group whose configuration decided the line, when it is not the default group. */
  group?: string;
  /** The reward of the group that made the line (its `id`), for lines of `rewards`. */
  rewardId?: string;
  /** The event the reward pays for: `lead`, `sale` or `bounty`. */
  event?: string;
  /** Indexes, in the reward's `conditions`, of the conditions that held (with `match: 'any'`, the first that held). */
  conditions?: number[];
  /** A bounty's goal and the period it was reached in. */
  goal?: { basis: string; target: number; period: string; periodKey: string };
}

/** One commission line: what one beneficiary earns from one source. */
export interface CommissionRecord extends Scope {
  id: string;
  kind: CommissionKind;
  /** Whose balance it goes to: the referrer, or the referee for a welcome reward. */
  beneficiaryId: string;
  referrerId: string;
  refereeId: string | null;
  referralId: string | null;
  sourceKind: SourceEventKind | 'signup';
  /** Purchase event id, bonus event id, or the referral id for sign-up rewards. */
  sourceEventId: string;
  /** Amount accrued, minor units. */
  amount: number;
  /** Part of `amount` reversed by refunds, chargebacks or a rejection after payment. */
  reversedAmount: number;
  status: CommissionStatus;
  statusReason: string | null;
  calculation: CommissionCalculation;
  /** End of the holding period: from then on `approveDue` may approve it. */
  availableAt: Date;
  /** Payout that covers it, once requested. */
  payoutId: string | null;
  createdAt: Date;
  approvedAt: Date | null;
  paidAt: Date | null;
  updatedAt: Date;
}

/** Balance buckets of an account. Money moves between them by pairs of ledger entries. */
export const BUCKETS = ['pending', 'on_hold', 'withdrawable', 'requested', 'paid'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const LEDGER_ENTRY_KINDS = [
  'accrual',
  'approval',
  'hold',
  'release',
  'rejection',
  'reversal',
  'payout_request',
  'payout_rejection',
  'payout_paid',
  'adjustment',
  'reinstatement',
  /** A payout the provider refused: its amount back from `requested` to `withdrawable`. */
  'payout_failure',
  /** A failed payout sent again: its amount from `withdrawable` to `requested` once more. */
  'payout_retry',
] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** What caused a ledger entry. */
export const LEDGER_SOURCE_TYPES = [
  'purchase',
  'refund',
  'chargeback',
  'bonus',
  'signup',
  'payout',
  'adjustment',
  'review',
  'schedule',
  'reinstatement',
  'cancellation',
] as const;
export type LedgerSourceType = (typeof LEDGER_SOURCE_TYPES)[number];

/**
 * One append-only ledger line: a signed amount in one bucket of one account.
 * Corrections are new entries, never edits. An account's balance in a bucket
 * is the sum of its entries in that bucket.
 */
export interface LedgerEntryRecord extends Scope {
  id: string;
  accountId: string;
  bucket: Bucket;
  /** Signed minor units. */
  amount: number;
  kind: LedgerEntryKind;
  commissionId: string | null;
  payoutId: string | null;
  sourceType: LedgerSourceType;
  sourceId: string;
  actor: Actor;
  reason: string | null;
  at: Date;
}

/** Running totals per bucket of one account, kept equal to the sum of its ledger entries. */
export interface BalanceRecord extends Scope {
  accountId: string;
  pending: number;
  on_hold: number;
  withdrawable: number;
  requested: number;
  paid: number;
  updatedAt: Date;
}

/** A running count or sum (qualified referrals, referred revenue, commission) per owner, name and period. */
export interface CounterRecord extends Scope {
  ownerId: string;
  name: string;
  /** Period key, e.g. `all`, `2026-03`, `2026-Q1`, `2026`. */
  period: string;
  value: number;
}

/**
 * requested → approved → processing → paid | failed; requested or approved →
 * rejected. A failed payout's money is withdrawable again; `retryPayout`
 * makes it approved once more.
 */
export const PAYOUT_STATUSES = ['requested', 'approved', 'paid', 'rejected', 'processing', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];
/** A payout is open until it is paid, rejected or failed; a user has at most one open payout. */
export const OPEN_PAYOUT_STATUSES: readonly PayoutStatus[] = ['requested', 'approved', 'processing'];

export interface PayoutRecord extends Scope {
  id: string;
  userId: string;
  amount: number;
  status: PayoutStatus;
  /** The payout method at the time of the request; `erased` once the payee's personal data was erased. */
  method: PayoutMethod | ErasedPayoutMethod;
  /** Why it has its status: the admin's reason, or the provider's reason for a failure. */
  statusReason: string | null;
  externalReference: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  paidAt: Date | null;
  updatedAt: Date;
  /** The payout run that made it; null for a payout the participant requested. */
  runId: string | null;
  /** Attempts to send it started so far (0 until the first). */
  attempts: number;
  /** The idempotency key of the current (or last) attempt, recorded before the provider is called. */
  idempotencyKey: string | null;
  /** The batch (one bank file) the current attempt went out in, for a provider that sends batches. */
  batchId: string | null;
  /** Until when a worker holds the current attempt; after it, an attempt whose outcome is unknown is sent again with the same key. */
  leaseUntil: Date | null;
}

/** How a user wants to be paid. Stored and validated; no payment provider is called. */
export type PayoutMethod =
  | { type: 'paypal'; email: string }
  | { type: 'bank_transfer'; accountHolder: string; iban: string; bic?: string | undefined }
  | { type: 'wise'; email: string }
  | { type: 'store_credit' }
  | { type: 'other'; details: string }
  | { type: 'stripe_connect'; accountId: string };

/** A payout's method once the payee's personal data was erased (`eraseUser`): the details are gone, `was` keeps the kind. */
export interface ErasedPayoutMethod {
  type: 'erased';
  was: PayoutMethod['type'];
}

export interface PayoutMethodRecord extends Scope {
  userId: string;
  method: PayoutMethod;
  updatedAt: Date;
}

export const FINGERPRINT_KINDS = ['ip', 'device', 'payment'] as const;
/** What a fingerprint identifies: an IP address, a device id, or a payment method (card or account fingerprint). */
export type FingerprintKind = (typeof FINGERPRINT_KINDS)[number];

export const FINGERPRINT_ROLES = ['signin', 'signup', 'purchase'] as const;
/** When it was seen: a sign-in of the user, their attributed sign-up, or their purchase. */
export type FingerprintRole = (typeof FINGERPRINT_ROLES)[number];

/**
 * A keyed hash of an IP address, device id or payment fingerprint seen for a
 * user. The raw value is never stored: the hash (HMAC-SHA-256 with the
 * program's `privacy.hashKey`) is good for matching and useless if the table
 * leaks. Erased with the user's personal data.
 */
export interface FingerprintRecord extends Scope {
  id: string;
  userId: string;
  kind: FingerprintKind;
  hash: string;
  role: FingerprintRole;
  /** For a sign-up: the referrer it was attributed to. */
  referrerId: string | null;
  at: Date;
}

/** A visit through a referral link, recorded by the click endpoint for funnel statistics. */
export interface ClickRecord extends Scope {
  id: string;
  /** The normalised code of the link. */
  code: string;
  /** The participant who owns the code. */
  referrerId: string;
  /** The landing page's URL, as the browser reported it. */
  landingUrl: string | null;
  /** Channel, e.g. the landing `utm_source`. */
  source: string | null;
  /** Keyed hash of the visitor's IP address; the address itself is never stored. */
  ipHash: string | null;
  at: Date;
}

/** A question about fingerprints: how many rows match every given field, seen at or after `since`. */
export interface FingerprintQuery {
  kind: FingerprintKind;
  hash: string;
  role?: FingerprintRole;
  userId?: string;
  referrerId?: string;
  since?: Date;
}

export const REVIEW_STATUSES = ['open', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Why a fraud rule held or refused something: a stable reason code and its details. */
export interface FraudFinding {
  /** The rule's name, e.g. `ip_match`. */
  rule: string;
  action: 'review' | 'reject';
  /** Stable reason code, e.g. `SAME_IP_AS_REFERRER`. */
  reason: string;
  details: Record<string, unknown>;
}

/** One item of the review queue: a referral or a commission held for a person to decide. */
export interface ReviewRecord extends Scope {
  id: string;
  entityType: 'referral' | 'commission';
  entityId: string;
  referralId: string;
  referrerId: string;
  status: ReviewStatus;
  findings: FraudFinding[];
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const;
/** `pending` until a dispatcher delivers it (`delivered`) or gives up after the last attempt (`dead`, a dead letter). */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * A domain event in the transactional outbox, written in the same transaction
 * as the change it reports (at its end, after every lock it took). Events of
 * one subject are delivered in commit order: a change that committed before
 * another began comes first, a change's own events in the order written;
 * two changes that overlapped may come in either order.
 */
export interface OutboxRecord extends Scope {
  /** Stable id (`evt_…`): handlers deduplicate on it. */
  id: string;
  /** What happened, e.g. `commission.accrued` (see `DOMAIN_EVENT_TYPES`). */
  type: string;
  /** The participant the event concerns (referrer, inviter, beneficiary): the order of delivery is kept per subject. */
  subjectId: string;
  entityType: AuditEntityType;
  entityId: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  status: OutboxStatus;
  /** Delivery attempts that ended, successful or not. */
  attempts: number;
  /** Not claimed before this time (backoff after a failure). */
  nextAttemptAt: Date;
  /** The dispatcher run holding the event, and until when; a lease that has run out may be taken over. */
  leaseToken: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

export const INVITATION_STATUSES = ['pending', 'accepted', 'expired', 'cancelled'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * An invitation a participant sent by e-mail; accepting it attributes the
 * sign-up to them. The only place the invitee's address and the inviter's
 * message are kept: events and audit lines name the invitation by id.
 */
export interface InvitationRecord extends Scope {
  id: string;
  inviterId: string;
  /** The address as given, and its normal form (what duplicates are detected by); both empty once erased (`eraseUser`). */
  email: string;
  emailNormalized: string;
  message: string | null;
  /** Secret of the invitation link; a resend issues a new one. */
  token: string;
  status: InvitationStatus;
  /** How often it was sent (1 at creation). */
  sendCount: number;
  lastSentAt: Date;
  expiresAt: Date;
  /** The user who signed up through it. */
  acceptedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export const PAYOUT_RUN_STATUSES = ['running', 'completed'] as const;
export type PayoutRunStatus = (typeof PAYOUT_RUN_STATUSES)[number];

/** Why a payout run left a payee out. */
export const PAYOUT_SKIP_REASONS = ['no_payout_method', 'tax_profile_blocked', 'under_review', 'participant_suspended', 'payout_open'] as const;
export type PayoutSkipReason = (typeof PAYOUT_SKIP_REASONS)[number];

/** What a payout run did: the payouts it made, and each payee it left out with the reason. */
export interface PayoutRunResult {
  payouts: { payoutId: string; userId: string; amount: number }[];
  skipped: { userId: string; amount: number; reason: PayoutSkipReason }[];
  /** Payees paid although their tax profile is not verified (`taxForms.enforcement: 'warn'`). */
  warnings: { userId: string; reason: 'tax_profile_unverified' }[];
  /** The sum of the payouts' amounts. */
  total: number;
}

/**
 * One payout run: every withdrawable balance at or above the minimum, as of
 * `before`, collected into one payout per payee. Its id makes it idempotent.
 */
export interface PayoutRunRecord extends Scope {
  id: string;
  status: PayoutRunStatus;
  /** Money withdrawable before this time (and still withdrawable) is paid. */
  before: Date;
  minimum: number;
  currency: string;
  createdBy: string;
  createdAt: Date;
  completedAt: Date | null;
  /** Filled in when the run completes. */
  result: PayoutRunResult | null;
}

export const TAX_PROFILE_STATUSES = ['none', 'submitted', 'verified', 'rejected'] as const;
export type TaxProfileStatus = (typeof TAX_PROFILE_STATUSES)[number];

export const TAX_FORM_TYPES = ['W-9', 'W-8BEN', 'W-8BEN-E', 'other'] as const;
export type TaxFormType = (typeof TAX_FORM_TYPES)[number];

/**
 * A payee's tax form status. onehop keeps no tax id and no document: your
 * application or the payment provider holds them; this row only says which
 * form is on file and whether it was verified.
 */
export interface TaxProfileRecord extends Scope {
  userId: string;
  status: TaxProfileStatus;
  formType: TaxFormType | null;
  /** ISO 3166-1 alpha-2 country of tax residence, if known. */
  country: string | null;
  /** When the status took effect (the form's submission or verification date). */
  statusDate: Date | null;
  updatedBy: string;
  updatedAt: Date;
}
