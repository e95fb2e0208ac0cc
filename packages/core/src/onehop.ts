/**
 * The `Onehop` facade: one documented member per public method, each a
 * one-line delegation to an operation in its feature folder (see
 * docs/architecture.md). It is long because the public API is wide, not
 * because it holds rules: it holds none.
 */

import { attribute } from './attribution/attribute';
import type { AttributionResult } from './attribution/attribution-result';
import type { AttributeInput } from './attribution/inputs';
import { getReferralByReferee, listReferrals } from './attribution/referrals';
import { type ClickResult, listClicks, recordClick } from './clicks/clicks';
import type { ListClicksInput, RecordClickInput } from './clicks/inputs';
import { type Clock, systemClock } from './clock/clock';
import { type CodeGenerator, createCodeGenerator } from './codes/generate';
import { adjustBalance } from './commissions/adjust-balance';
import { approveDue } from './commissions/approve-due';
import type { AdjustBalanceInput, ApproveDueInput, DecideCommissionInput } from './commissions/inputs';
import { getCommission, listCommissions } from './commissions/queries';
import { rejectCommission } from './commissions/reject-commission';
import { type Mode, type ProgramConfig, parseProgramConfig } from './config/program';
import type { ProgramConfigInput } from './config/program-input';
import { type Funnel, funnel } from './dashboard/funnel';
import { commissionHistory, ledgerHistory } from './dashboard/histories';
import type {
  FunnelInput,
  HistoryInput,
  PayoutsByStatusInput,
  PerformanceInput,
  PeriodInput,
  RefereeInput,
  ReferralOfferInput,
  ReferralsByStatusInput,
  StatementInput,
  TaxExportInput,
  TopReferrersInput,
  UserInput,
} from './dashboard/inputs';
import { type Performance, performance } from './dashboard/performance';
import { type ProgramOverview, programOverview, referralsByStatus, topReferrers } from './dashboard/program-overview';
import { type RefereeStatus, refereeStatus } from './dashboard/referee-status';
import { type ReferralOffer, referralOffer } from './dashboard/referral-offer';
import { type ReferrerOverview, referrerOverview } from './dashboard/referrer-overview';
import { type Statement, statement } from './dashboard/statement';
import { taxExport } from './dashboard/tax-export';
import { taxYearReport } from './dashboard/tax-year-report';
import { type TierProgress, tierProgress } from './dashboard/tier-progress';
import { EngineContext, parse } from './engine/context';
import { loggerSchema, type OnehopLogger } from './engine/logger';
import { type TelemetryOptions, telemetrySchema, traceMethods } from './engine/telemetry';
import { LiveModeRefusedError } from './errors/errors';
import { builtInRules, type FraudRule } from './fraud/rules';
import type { MoveToGroupInput, SetParticipantTermsInput } from './groups/inputs';
import { moveToGroup, setParticipantTerms } from './groups/participant-groups';
import { acceptInvitation } from './invitations/accept-invitation';
import type {
  AcceptInvitationInput,
  CancelInvitationInput,
  ExpireInvitationsInput,
  InviteInput,
  InviteManyInput,
  ListInvitationsInput,
  ResendInvitationInput,
} from './invitations/inputs';
import {
  cancelInvitation,
  expireInvitations,
  type InvitationResult,
  type InviteRowResult,
  invite,
  inviteMany,
  listInvitations,
  resendInvitation,
} from './invitations/invitations';
import type { Balances } from './ledger/balances';
import { getBalances, listLedger } from './ledger/queries';
import type { LinkForInput, ShareLinksForInput, SignedLinkForInput } from './links/inputs';
import type { ParsedReferralLink } from './links/links';
import type { QrCodeSvgInput } from './links/qr';
import { linkFor, parseLink, qrCodeFor, shareLinksFor, signedLinkFor, verifyReferralLink } from './links/referral-links';
import type { ShareNetwork } from './links/share';
import type { LinkVerification } from './links/signed';
import { type ExchangeRateProvider, exchangeRateProviderSchema } from './money/exchange-rate';
import { Dispatcher } from './outbox/dispatcher';
import { listEvents, purgeDeliveredEvents, retryDeadLetter } from './outbox/event-admin';
import type { DispatcherOptions, ListEventsInput, PurgeEventsInput, RetryEventInput } from './outbox/inputs';
import type { AcceptTermsInput, EnrollInput, ReplaceCodeInput, SetParticipantStatusInput } from './participants/inputs';
import {
  acceptTerms,
  type EnrollResult,
  enroll,
  getParticipant,
  listCodes,
  type ResolvedCode,
  reinstateParticipant,
  replaceCode,
  resolveCode,
  suspendParticipant,
} from './participants/participants';
import type {
  ApprovePayoutInput,
  CreatePayoutRunInput,
  MarkPayoutPaidInput,
  RejectPayoutInput,
  RequestPayoutInput,
  RetryPayoutInput,
  SendPayoutsInput,
  SetPayoutMethodInput,
  SetTaxProfileInput,
  SettlePayoutInput,
  TaxYearReportInput,
} from './payouts/inputs';
import { approvePayout, markPayoutPaid, payoutsByStatus, rejectPayout, requestPayout, setPayoutMethod } from './payouts/payouts';
import { type PayoutProvider, providersByMethod } from './payouts/provider';
import { getPayout, getPayoutMethod, listPayouts } from './payouts/queries';
import { createPayoutRun, getPayoutRun } from './payouts/runs';
import { retryPayout, type SendPayoutsResult, sendPayouts, settlePayout } from './payouts/send';
import { getTaxProfile, setTaxProfile } from './payouts/tax-profiles';
import type { RecordCancellationInput, RecordPurchaseInput, RecordReversalInput, ReinstateChargebackInput } from './purchases/inputs';
import { type CancellationResult, recordCancellation } from './purchases/record-cancellation';
import { type PurchaseResult, type ReversalResult, recordPurchase, recordReversal } from './purchases/record-purchase';
import { type ReinstatementResult, reinstateChargeback } from './purchases/reinstate-chargeback';
import { auditTrail } from './reviews/audit-trail';
import type { DecideReviewInput, EraseUserInput, ListReviewsInput, RecordSignInInput, RejectReferralInput } from './reviews/inputs';
import { decideReview, type ErasureResult, eraseUser, listReviews, recentActivity, recordSignIn, rejectReferral } from './reviews/reviews';
import type { SimulatePlanInput } from './simulation/inputs';
import { type PlanSimulation, simulatePlan } from './simulation/simulate-plan';
import type {
  AuditEntityType,
  AuditRecord,
  ClickRecord,
  CodeRecord,
  CommissionRecord,
  InvitationRecord,
  LedgerEntryRecord,
  OutboxRecord,
  ParticipantRecord,
  PayoutMethodRecord,
  PayoutRecord,
  PayoutRunRecord,
  ReferralRecord,
  ReviewRecord,
  Scope,
  TaxProfileRecord,
} from './store/records';
import type { Store } from './store/store';

export type { EnrollResult, ResolvedCode } from './participants/participants';

export interface CreateOnehopOptions {
  store: Store;
  program: ProgramConfigInput;
  /** Source of the current time; inject a manual clock in tests. */
  clock?: Clock;
  /** Environment used to pick the default mode; defaults to `process.env` where there is one. */
  env?: { NODE_ENV?: string | undefined };
  /** Replaces the random code generator (tests use it to force collisions). */
  generateCode?: CodeGenerator;
  /** How often a transaction that lost a race is run again before the error surfaces. Default 5. */
  maxRetries?: number;
  /** Your own fraud rules (run after the built-in ones), and a replacement for the disposable-domain check. */
  fraud?: {
    rules?: FraudRule[];
    /** Says whether an email domain is disposable; the default uses the `mailchecker` list. */
    isDisposableDomain?: (domain: string) => boolean;
  };
  /** The payment providers `sendPayouts` pays through, at most one per payout method type. */
  payoutProviders?: readonly PayoutProvider[];
  /**
   * OpenTelemetry: pass a tracer (`trace.getTracer('onehop')` of
   * `@opentelemetry/api`) and every public call runs in a span named
   * `onehop.<method>` with the program id, mode and outcome as attributes,
   * and every statement a store sends to its database in a child span named
   * `onehop.statement`. Without it no span is made.
   */
  telemetry?: TelemetryOptions;
  /** Reports retries, lost guards, delivery failures and fraud decisions (ids and codes, never personal data). `console` fits. */
  logger?: OnehopLogger;
  /**
   * Where rates come from for purchases in another currency than the
   * program's (`fixedExchangeRates({ 'EUR/USD': '1.0845' })` for a fixed
   * table, or your own provider calling a rates API). Without it such a
   * purchase is refused (`CURRENCY_MISMATCH`).
   */
  exchangeRates?: ExchangeRateProvider;
}

function defaultEnv(): { NODE_ENV?: string | undefined } {
  return typeof process !== 'undefined' && process.env ? process.env : {};
}

/**
 * Creates the engine for one program on one store. Validates the program
 * configuration (throws `ValidationError` with code `INVALID_PROGRAM_CONFIG`)
 * and refuses live mode on a store that would lose the data.
 */
export function createOnehop(options: CreateOnehopOptions): Onehop {
  return new Onehop(options);
}

/**
 * The onehop engine for one program. Every method validates its input (a
 * `ValidationError` naming the field; nothing written) and runs in one store
 * transaction, so a call either happens completely or not at all.
 */
export class Onehop {
  readonly program: ProgramConfig;
  readonly store: Store;
  readonly clock: Clock;
  private readonly ctx: EngineContext;
  private readonly scope: Scope;
  private readonly generateCode: CodeGenerator;
  private readonly payoutProviders: ReadonlyMap<string, PayoutProvider>;

  constructor(options: CreateOnehopOptions) {
    this.program = parseProgramConfig(options.program, options.env ?? defaultEnv());
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.generateCode = options.generateCode ?? createCodeGenerator(this.program.codes.alphabet, this.program.codes.length);
    const rules = [...builtInRules(options.fraud?.isDisposableDomain), ...(options.fraud?.rules ?? [])];
    parse(telemetrySchema, options.telemetry, 'telemetry');
    parse(loggerSchema, options.logger, 'logger');
    this.ctx = new EngineContext(this.program, this.store, this.clock, options.maxRetries ?? 5, rules, this.generateCode, options.logger, options.telemetry?.tracer);
    this.scope = this.ctx.scope;
    parse(exchangeRateProviderSchema, options.exchangeRates, 'exchangeRates');
    // The provider itself, not the parsed copy: its methods may use fields of their own.
    this.ctx.exchangeRates = options.exchangeRates ?? null;
    if (options.telemetry) traceMethods(this, Onehop.prototype, options.telemetry.tracer, this.scope);
    this.payoutProviders = providersByMethod(options.payoutProviders);
    const caps = this.store.capabilities;
    if (this.program.mode === 'live' && !caps.liveAllowed) throw new LiveModeRefusedError(caps.name);
  }

  /** `live` or `mock`: mock rows never appear in live balances, statistics or payouts. */
  get mode(): Mode {
    return this.program.mode;
  }

  // ---------------------------------------------------------------- enrollment

  /**
   * Enrolls a registered user and gives them one stable code. Enrolling again
   * returns the same participant and code (`created: false`), also when two
   * calls race. Pass `code` to request a vanity code.
   */
  enroll(input: EnrollInput): Promise<EnrollResult> {
    return enroll(this.ctx, input);
  }

  /** Records that an enrolled user accepted a version of the program terms. */
  acceptTerms(input: AcceptTermsInput): Promise<ParticipantRecord> {
    return acceptTerms(this.ctx, input);
  }

  /** The participant with this user id, or null. */
  getParticipant(userId: string): Promise<ParticipantRecord | null> {
    return getParticipant(this.ctx, userId);
  }

  /**
   * Admin: gives a user a new code (a vanity `newCode`, or a generated one).
   * The old code is retired: it keeps resolving to the same user and is never
   * given to anyone else.
   */
  replaceCode(input: ReplaceCodeInput): Promise<{ participant: ParticipantRecord; retiredCode: string }> {
    return replaceCode(this.ctx, input);
  }

  /** Every code a user has had, oldest first, retired ones included. */
  listCodes(userId: string): Promise<CodeRecord[]> {
    return listCodes(this.ctx, userId);
  }

  /**
   * Finds whose code this is. Case, spaces and hyphens are ignored
   * (`abcd-efgh` finds `ABCDEFGH`); retired codes still resolve.
   */
  resolveCode(code: string): Promise<ResolvedCode | null> {
    return resolveCode(this.ctx, code);
  }

  /** Admin: suspends a participant; their code stops attributing sign-ups. */
  suspendParticipant(input: SetParticipantStatusInput): Promise<ParticipantRecord> {
    return suspendParticipant(this.ctx, input);
  }

  /** Admin: makes a suspended participant active again. */
  reinstateParticipant(input: SetParticipantStatusInput): Promise<ParticipantRecord> {
    return reinstateParticipant(this.ctx, input);
  }

  /** Admin: moves a participant to another partner group (`default` for the top-level configuration); accruals decided after it use the new group, past lines never change. */
  moveToGroup(input: MoveToGroupInput): Promise<ParticipantRecord> {
    return moveToGroup(this.ctx, input);
  }

  /** Admin: sets a participant's own rate or amount and holding period over their group's (`terms: null` removes them); past lines never change. */
  setParticipantTerms(input: SetParticipantTermsInput): Promise<ParticipantRecord> {
    return setParticipantTerms(this.ctx, input);
  }

  // --------------------------------------------------------------- attribution

  /**
   * Attributes a new sign-up to the owner of `code`: one hop only, the direct
   * referrer and nobody above them. A refused attribution returns
   * `{ ok: false, reason }` and writes nothing but an audit record of the attempt.
   * Running the same attribution again (same referee, same code, e.g. after
   * `STORE_CONNECTION_LOST`) answers as the first call did, with
   * `replayed: true`, and writes nothing.
   */
  attribute(input: AttributeInput): Promise<AttributionResult> {
    return attribute(this.ctx, input);
  }

  // --------------------------------------------------------------- invitations

  /**
   * A participant invites someone by e-mail. A handler of the
   * `invitation.sent` event gets the link, and the address and message read
   * from the invitation at delivery, for your application to send; onehop
   * sends no e-mail itself.
   */
  invite(input: InviteInput): Promise<InvitationResult> {
    return invite(this.ctx, input);
  }

  /** Invites a list of addresses (deduplicated); each row gets its own result, and a bad row never loses the good ones. */
  inviteMany(input: InviteManyInput): Promise<InviteRowResult[]> {
    return inviteMany(this.ctx, input);
  }

  /** Sends a pending invitation again, within the program's limits; its lifetime starts again. */
  resendInvitation(input: ResendInvitationInput): Promise<InvitationResult> {
    return resendInvitation(this.ctx, input);
  }

  /** Cancels a pending invitation (its inviter, or an admin with a reason). */
  cancelInvitation(input: CancelInvitationInput): Promise<InvitationRecord> {
    return cancelInvitation(this.ctx, input);
  }

  /** Marks invitations past their lifetime expired. Run it on a schedule. */
  expireInvitations(input: ExpireInvitationsInput = {}): Promise<{ expired: number }> {
    return expireInvitations(this.ctx, input);
  }

  /** A referrer's invitations and their states, newest first by default. */
  listInvitations(input: ListInvitationsInput): Promise<InvitationRecord[]> {
    return listInvitations(this.ctx, input);
  }

  /**
   * A sign-up through an invitation link: attributed to the inviter under the
   * same rules as a code (fraud rules, one referrer per referee), and the
   * invitation is accepted in the same transaction. An expired, cancelled or
   * already used invitation is refused with its reason. Accepting again for
   * the same referee returns the referral it made.
   */
  acceptInvitation(input: AcceptInvitationInput): Promise<AttributionResult & { invitation: InvitationRecord }> {
    return acceptInvitation(this.ctx, input);
  }

  /** The referral of a referee, or null. */
  getReferralByReferee(refereeId: string): Promise<ReferralRecord | null> {
    return getReferralByReferee(this.ctx, refereeId);
  }

  /** A referrer's referrals, oldest first. */
  listReferrals(referrerId: string, page: { limit?: number } = {}): Promise<ReferralRecord[]> {
    return listReferrals(this.ctx, referrerId, page);
  }

  // --------------------------------------------------------------------- links

  /** Builds a user's referral link with the program's link parameter. */
  linkFor(input: LinkForInput): Promise<string> {
    return linkFor(this.ctx, input);
  }

  /** Reads the code and UTM parameters from a referral link of this program. */
  parseLink(link: string | URL): ParsedReferralLink | null {
    return parseLink(this.ctx, link);
  }

  /**
   * A user's referral link that stops attributing at `expiresAt` (default:
   * `links.signing.defaultDays` from now), signed with the program's link
   * secret. Pass the link the referee landed on to `attribute({ link })`.
   */
  signedLinkFor(input: SignedLinkForInput): Promise<string> {
    return signedLinkFor(this.ctx, input);
  }

  /** Checks a signed link of this program: its code, expiry and signature. */
  verifyLink(link: string | URL): LinkVerification {
    return verifyReferralLink(this.ctx, link);
  }

  /** Share URLs (e-mail, X, Facebook, LinkedIn, WhatsApp, Telegram) for a user's referral link. */
  shareLinksFor(input: ShareLinksForInput): Promise<{ link: string; share: Record<ShareNetwork, string> }> {
    return shareLinksFor(this.ctx, input);
  }

  /** A user's referral link as a QR code, an SVG document. */
  qrCodeFor(input: LinkForInput & Omit<QrCodeSvgInput, 'text'>): Promise<string> {
    return qrCodeFor(this.ctx, input);
  }

  // ------------------------------------------------------- fraud and reviews

  /** Tells the fraud rules where a user signs in from, or a payment method they hold. Stored only as keyed hashes. */
  recordSignIn(input: RecordSignInInput): Promise<void> {
    return recordSignIn(this.ctx, input);
  }

  /** The review queue: what the fraud rules held, with their findings, oldest first (`status` defaults to `open`). */
  listReviews(input: ListReviewsInput = {}): Promise<ReviewRecord[]> {
    return listReviews(this.ctx, input);
  }

  /** Admin: approves or rejects a held referral or commission, with a reason. */
  decideReview(input: DecideReviewInput): Promise<ReviewRecord> {
    return decideReview(this.ctx, input);
  }

  /** Admin: rejects a referral; its commissions are rejected as `rejectCommission` rejects one (paid ones clawed back). */
  rejectReferral(input: RejectReferralInput): Promise<ReferralRecord> {
    return rejectReferral(this.ctx, input);
  }

  /**
   * Admin: erases a user's personal data everywhere onehop keeps it (e-mails,
   * invitations, payout details, click and fingerprint hashes); every amount
   * and the ledger stay whole.
   */
  eraseUser(input: EraseUserInput): Promise<ErasureResult> {
    return eraseUser(this.ctx, input);
  }

  // -------------------------------------------------------------------- clicks

  /**
   * Records a visit through a referral link (the click endpoint of
   * `@onehop/browser/server` calls this). Unknown codes are ignored, floods
   * from one IP address refused (`fraud.clickVelocity`); the IP is stored
   * only as its keyed hash.
   */
  recordClick(input: RecordClickInput): Promise<ClickResult> {
    return recordClick(this.ctx, input);
  }

  /** A referrer's clicks, oldest first; pass the last click's id as `cursor` for the next page. */
  listClicks(input: ListClicksInput): Promise<ClickRecord[]> {
    return listClicks(this.ctx, input);
  }

  // ---------------------------------------------------------------- dashboards

  /** Referrer dashboard: referrals by status, conversion, clicks, earnings today / this month / in total, balances. */
  referrerOverview(input: UserInput): Promise<ReferrerOverview> {
    return referrerOverview(this.ctx, input);
  }

  /** Referrer dashboard: commissions, filtered by status and date, newest first by default, by cursor. */
  commissionHistory(input: HistoryInput): Promise<CommissionRecord[]> {
    return commissionHistory(this.ctx, input);
  }

  /** Referrer dashboard: ledger lines, filtered by date, newest first by default, by cursor. */
  ledgerHistory(input: HistoryInput): Promise<LedgerEntryRecord[]> {
    return ledgerHistory(this.ctx, input);
  }

  /** Referrer dashboard: current tier, rate, next threshold, progress and when the period resets. */
  tierProgress(input: UserInput): Promise<TierProgress> {
    return tierProgress(this.ctx, input);
  }

  /** Time series (day, week, month), time to conversion and channel and country breakdowns, for a referrer or the program. */
  performance(input: PerformanceInput): Promise<Performance> {
    return performance(this.ctx, input);
  }

  /** What a referee may see: eligibility, qualification criteria, progress, the rewards. */
  refereeStatus(input: RefereeInput): Promise<RefereeStatus> {
    return refereeStatus(this.ctx, input);
  }

  /**
   * What a visitor arriving with a referral code may be shown before signing
   * up: whether the code can refer them, who invited them (as
   * `refereeView.showReferrer` allows), the welcome reward or discount, and
   * what qualifies the referral. Reads only.
   */
  referralOffer(input: ReferralOfferInput): Promise<ReferralOffer> {
    return referralOffer(this.ctx, input);
  }

  /** Admin dashboard: commission and payout flows and referred revenue in a period, and what the accounts hold now. */
  programOverview(input: PeriodInput): Promise<ProgramOverview> {
    return programOverview(this.ctx, input);
  }

  /** Admin dashboard: referrals with one status, oldest first, by cursor. */
  referralsByStatus(input: ReferralsByStatusInput): Promise<ReferralRecord[]> {
    return referralsByStatus(this.ctx, input);
  }

  /** Admin dashboard: top referrers by net earnings or qualified referrals, in a period or all time. */
  topReferrers(input: TopReferrersInput = {}): Promise<{ userId: string; value: number }[]> {
    return topReferrers(this.ctx, input);
  }

  /** Clicks → sign-ups → qualified with conversion rates, in a period, for a referrer or the program. */
  funnel(input: FunnelInput): Promise<Funnel> {
    return funnel(this.ctx, input);
  }

  /** A referrer's balance statement for [from, to): opening balance, every entry, closing balance. */
  statement(input: StatementInput): Promise<Statement> {
    return statement(this.ctx, input);
  }

  /** Tax preparation export: payouts paid per referrer in a calendar year, as RFC 4180 CSV. */
  taxExport(input: TaxExportInput): Promise<string> {
    return taxExport(this.ctx, input);
  }

  // ------------------------------------------------------------ notifications

  /**
   * A dispatcher that delivers the outbox's domain events to your handlers
   * (e-mail, in-app alerts, webhooks): at least once, in order per
   * participant, with retries and backoff, and dead letters after
   * `maxAttempts`. Call `start()` to run it in the background, or `runOnce()`
   * from your own scheduler. Several may run at once.
   */
  createDispatcher(options: DispatcherOptions): Dispatcher {
    return new Dispatcher(this.ctx, options);
  }

  /** Admin: outbox events with one status, oldest first (dead letters by default). */
  listEvents(input: ListEventsInput = {}): Promise<OutboxRecord[]> {
    return listEvents(this.ctx, input);
  }

  /** Admin: sends a dead letter again: due now, attempts counted from zero. */
  retryDeadLetter(input: RetryEventInput): Promise<OutboxRecord> {
    return retryDeadLetter(this.ctx, input);
  }

  /** Deletes delivered events older than a date; pending and dead ones stay. */
  purgeDeliveredEvents(input: PurgeEventsInput): Promise<{ deleted: number }> {
    return purgeDeliveredEvents(this.ctx, input);
  }

  // --------------------------------------------------------------------- audit

  /** The program-wide activity feed, newest first; pass the last item's id as `cursor` for the next page. */
  recentActivity(page: { limit?: number; cursor?: string } = {}): Promise<AuditRecord[]> {
    return recentActivity(this.ctx, page);
  }

  /** One entity's audit trail, oldest first. */
  auditTrail(entityType: AuditEntityType, entityId: string): Promise<AuditRecord[]> {
    return auditTrail(this.ctx, entityType, entityId);
  }

  // --------------------------------------------------------------------- money

  /**
   * Records a referee's successful payment (amount in minor units). The first
   * one qualifies the referral; commissions accrue by the program's rules.
   * Idempotent by `eventId`: a redelivery returns the stored result
   * (`replayed: true`); the same id with another payload throws
   * `IdempotencyConflictError`. A purchase by a user who was not referred, or
   * whose referral was rejected, records nothing and says why. With a
   * `promoCode` (the referral code typed at checkout), a buyer who has no
   * referral yet is first attributed to the code's owner by the rules of
   * `attribute`, in the same transaction; `promoCode` in the result says
   * whether the code attributed, was refused (and why), or changed nothing.
   */
  recordPurchase(input: RecordPurchaseInput): Promise<PurchaseResult> {
    return recordPurchase(this.ctx, input);
  }

  /** Records a (partial) refund of a purchase; its commissions are reversed pro rata. Idempotent by `eventId`. */
  recordRefund(input: RecordReversalInput): Promise<ReversalResult> {
    return recordReversal(this.ctx, 'refund', input);
  }

  /** Records a chargeback (dispute) of a purchase; reversed like a refund. Idempotent by `eventId`. */
  recordChargeback(input: RecordReversalInput): Promise<ReversalResult> {
    return recordReversal(this.ctx, 'chargeback', input);
  }

  /**
   * A plan dry-run: what the purchases, refunds and chargebacks that occurred
   * in [`from`, `to`) paid each participant, and what they would have paid
   * under the candidate configuration `config`, replayed through the same
   * decisions. Writes nothing.
   */
  async simulatePlan(input: SimulatePlanInput): Promise<PlanSimulation> {
    return simulatePlan(this.ctx, input);
  }

  /**
   * A dispute the merchant won: gives back to each commission line what its
   * chargeback reversed. Once per chargeback; recorded before the chargeback,
   * the chargeback then reverses nothing. A lost dispute needs no call.
   */
  reinstateChargeback(input: ReinstateChargebackInput): Promise<ReinstatementResult> {
    return reinstateChargeback(this.ctx, input);
  }

  /**
   * A subscription was cancelled: its later payments earn nothing, and the
   * period it ends is kept or reversed as `subscriptions.onCancel` says. Once
   * per subscription.
   */
  recordCancellation(input: RecordCancellationInput): Promise<CancellationResult> {
    return recordCancellation(this.ctx, input);
  }

  /**
   * Approves pending commissions whose holding period has ended, making them
   * withdrawable. Run it on a schedule; it is idempotent and safe to run from
   * several workers at once.
   */
  approveDue(input: ApproveDueInput = {}): Promise<{ approved: number }> {
    return approveDue(this.ctx, input);
  }

  /** Admin: rejects a commission, with a reason; once approved (in a payout or paid) its amount is clawed back from the withdrawable balance. */
  rejectCommission(input: DecideCommissionInput): Promise<CommissionRecord> {
    return rejectCommission(this.ctx, input);
  }

  /** Admin: a manual, signed correction of a participant's withdrawable balance, with a reason. */
  adjustBalance(input: AdjustBalanceInput): Promise<Balances> {
    return adjustBalance(this.ctx, input);
  }

  /** An account's balances by bucket (the referrer's, or a referee's welcome credit). */
  getBalances(userId: string): Promise<Balances> {
    return getBalances(this.ctx, userId);
  }

  /** An account's ledger, in the order written. */
  listLedger(userId: string, page: { limit?: number } = {}): Promise<LedgerEntryRecord[]> {
    return listLedger(this.ctx, userId, page);
  }

  /** Commissions whose beneficiary is this user, in the order created. */
  listCommissions(userId: string, page: { limit?: number } = {}): Promise<CommissionRecord[]> {
    return listCommissions(this.ctx, userId, page);
  }

  /** One commission with how it was calculated, or null. */
  getCommission(commissionId: string): Promise<CommissionRecord | null> {
    return getCommission(this.ctx, commissionId);
  }

  // ------------------------------------------------------------------- payouts

  /** Stores how a participant wants to be paid. */
  setPayoutMethod(input: SetPayoutMethodInput): Promise<PayoutMethodRecord> {
    return setPayoutMethod(this.ctx, input);
  }

  getPayoutMethod(userId: string): Promise<PayoutMethodRecord | null> {
    return getPayoutMethod(this.ctx, userId);
  }

  /** A participant requests a payout of (by default) their whole withdrawable balance. */
  requestPayout(input: RequestPayoutInput): Promise<PayoutRecord> {
    return requestPayout(this.ctx, input);
  }

  /** Admin: approves a requested payout. */
  approvePayout(input: ApprovePayoutInput): Promise<PayoutRecord> {
    return approvePayout(this.ctx, input);
  }

  /** Admin: rejects an open payout, with a reason; the money is withdrawable again. */
  rejectPayout(input: RejectPayoutInput): Promise<PayoutRecord> {
    return rejectPayout(this.ctx, input);
  }

  /** Admin: marks an approved payout paid, with the external reference of the transfer. */
  markPayoutPaid(input: MarkPayoutPaidInput): Promise<PayoutRecord> {
    return markPayoutPaid(this.ctx, input);
  }

  getPayout(payoutId: string): Promise<PayoutRecord | null> {
    return getPayout(this.ctx, payoutId);
  }

  /** Admin: the program's payouts with one status (`requested` is the approval queue), oldest first; pass the last id as `cursor`. */
  payoutsByStatus(input: PayoutsByStatusInput): Promise<PayoutRecord[]> {
    return payoutsByStatus(this.ctx, input);
  }

  listPayouts(userId: string, page: { limit?: number } = {}): Promise<PayoutRecord[]> {
    return listPayouts(this.ctx, userId, page);
  }

  /**
   * Admin: a payout run. Every balance withdrawable before `before` and at
   * least `minimum` becomes one approved payout per payee; payees without a
   * payout method, blocked by the tax-form rule or under review are left out
   * with a reason each. Idempotent by `runId`; safe from two workers at once.
   */
  createPayoutRun(input: CreatePayoutRunInput): Promise<PayoutRunRecord> {
    return createPayoutRun(this.ctx, input);
  }

  /** A payout run with its result, or null. */
  getPayoutRun(runId: string): Promise<PayoutRunRecord | null> {
    return getPayoutRun(this.ctx, runId);
  }

  /**
   * Sends approved payouts through the `payoutProviders`, each attempt with
   * an idempotency key recorded before the provider is called; moves each to
   * paid, processing or failed by the answer. Run it on a schedule, from one
   * or several workers.
   */
  sendPayouts(input: SendPayoutsInput = {}): Promise<SendPayoutsResult> {
    return sendPayouts(this.ctx, this.payoutProviders, input);
  }

  /**
   * Settles a processing payout, from a provider's webhook (no `adminId`) or
   * an admin (the bank executed the file): `paid` with the reference, or
   * `failed` with the reason, the money withdrawable again.
   */
  settlePayout(input: SettlePayoutInput): Promise<PayoutRecord> {
    return settlePayout(this.ctx, input);
  }

  /** Admin: approves a failed payout again (its amount reserved again); the next `sendPayouts` sends it with a new key. */
  retryPayout(input: RetryPayoutInput): Promise<PayoutRecord> {
    return retryPayout(this.ctx, input);
  }

  /** Admin: records a payee's tax form status (no tax id or document: those stay with you or the provider). */
  setTaxProfile(input: SetTaxProfileInput): Promise<TaxProfileRecord> {
    return setTaxProfile(this.ctx, input);
  }

  /** A payee's tax profile, or null (status `none`). */
  getTaxProfile(userId: string): Promise<TaxProfileRecord | null> {
    return getTaxProfile(this.ctx, userId);
  }

  /** Yearly tax report: payouts paid per payee in a calendar year with their tax form, flagging totals over a threshold, as RFC 4180 CSV. */
  taxYearReport(input: TaxYearReportInput): Promise<string> {
    return taxYearReport(this.ctx, input);
  }

  // ------------------------------------------------------------------ internal
}
