/**
 * The storage-agnostic onehop engine: per-user referral codes, one-hop
 * attribution at registration, and the store (repository) interfaces that
 * `@onehop/memory` and `@onehop/postgres` implement.
 *
 * ```ts
 * import { createOnehop } from '@onehop/core';
 * import { createMemoryStore } from '@onehop/memory';
 *
 * const onehop = createOnehop({ store: createMemoryStore(), program: { id: 'main', currency: 'USD' } });
 * const { participant } = await onehop.enroll({ userId: 'alice' });
 * const result = await onehop.attribute({ refereeId: 'bob', code: participant.code });
 * ```
 *
 * @module @onehop/core
 */

export type { SkipReason } from './accrual/decide';
export type { AttributionRejection, AttributionResult } from './attribution/attribution-result';
export { ATTRIBUTION_REJECTIONS } from './attribution/attribution-result';
export type { AttributeInput } from './attribution/inputs';
export { attributeInputSchema } from './attribution/inputs';
export type { AdminAction, AdminActionInputs, AdminActor, AdminSubject, AuthorizationRequest, AuthorizeHook } from './authorization/authorization';
export { ADMIN_ACTIONS } from './authorization/authorization';
export type { BillingEngine, BillingOutcome } from './billing/apply-billing-event';
export { applyBillingEvent } from './billing/apply-billing-event';
export type { BillingEvent } from './billing/billing-event';
export {
  billingEventSchema,
  disputeClosedSchema,
  disputeOpenedSchema,
  paymentSucceededSchema,
  refundSchema,
  subscriptionCancelledSchema,
} from './billing/billing-event';
export type { ClickResult } from './clicks/clicks';
export type { ListClicksInput, RecordClickInput } from './clicks/inputs';
export { listClicksInputSchema, recordClickInputSchema } from './clicks/inputs';
export type { Clock, ManualClock } from './clock/clock';
export { createManualClock, systemClock } from './clock/clock';
export type { Period } from './clock/periods';
export { PERIODS, periodBounds, periodKey } from './clock/periods';
export {
  DEFAULT_CODE_ALPHABET,
  DEFAULT_CODE_LENGTH,
  DEFAULT_RESERVED_WORDS,
  VANITY_CODE_MAX_LENGTH,
  VANITY_CODE_MIN_LENGTH,
  VANITY_CODE_PATTERN,
} from './codes/alphabet';
export { CODE_PATTERN, matchesCodeFormat } from './codes/format';
export type { CodeGenerator } from './codes/generate';
export { createCodeGenerator } from './codes/generate';
export { normalizeCode } from './codes/normalize';
export { checkVanityCode } from './codes/vanity';
export type { LineContext, LineOutcome, Terms } from './commissions/calculate';
export { calculateLine, paysPerReferral, tierIndex } from './commissions/calculate';
export type { AdjustBalanceInput, ApproveDueInput, DecideCommissionInput } from './commissions/inputs';
export { adjustBalanceInputSchema, approveDueInputSchema, decideCommissionInputSchema } from './commissions/inputs';
export type { CommissionConfig, CommissionConfigInput, CommissionRule, CommissionRuleInput, PercentageScope } from './config/commission';
export { commissionConfigSchema, commissionRuleSchema, percentageScopeSchema } from './config/commission';
export type { FraudConfig, FraudConfigInput } from './config/fraud';
export { fraudConfigSchema, privacyConfigSchema } from './config/fraud';
export type { GroupConfig, GroupConfigInput, Reward, RewardCondition, RewardConditionInput, RewardInput } from './config/group';
export { DEFAULT_GROUP, groupConfigSchema, rewardConditionSchema, rewardSchema } from './config/group';
export type { Mode, ProgramConfig } from './config/program';
export { MODES, parseProgramConfig, programConfigSchema } from './config/program';
export type { ProgramConfigInput } from './config/program-input';
export type { RefereeDiscount } from './config/referee-discount';
export { refereeDiscountSchema } from './config/referee-discount';
export type { DailyMetric } from './counters/stats';
export { DAILY_METRICS, PROGRAM_SHARDS } from './counters/stats';
export type { Funnel } from './dashboard/funnel';
export type {
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
export {
  funnelInputSchema,
  historyInputSchema,
  payoutsByStatusInputSchema,
  performanceInputSchema,
  periodInputSchema,
  refereeInputSchema,
  referralOfferInputSchema,
  referralsByStatusInputSchema,
  statementInputSchema,
  taxExportInputSchema,
  topReferrersInputSchema,
  userInputSchema,
} from './dashboard/inputs';
export type { Performance, PerformancePoint } from './dashboard/performance';
export type { ProgramOverview } from './dashboard/program-overview';
export type { RefereeStatus, ShownReferrer } from './dashboard/referee-status';
export type { ReferralOffer } from './dashboard/referral-offer';
export type { ReferrerOverview } from './dashboard/referrer-overview';
export type { Statement } from './dashboard/statement';
export { csvField, TAX_EXPORT_HEADER } from './dashboard/tax-export';
export { TAX_YEAR_REPORT_HEADER } from './dashboard/tax-year-report';
export type { TierProgress } from './dashboard/tier-progress';
export { normalizeEmail } from './email/normalize-email';
export type { LogFields, OnehopLogger } from './engine/logger';
export type { TelemetryOptions, TelemetrySpan, TelemetryTracer } from './engine/telemetry';
export * from './errors/index';
export { isDisposableDomain, loadDisposableDomains } from './fraud/disposable-domains';
export { DEFAULT_IPV6_PREFIX_LENGTH, type KeyedHashOptions, keyedHash } from './fraud/hash';
export { canonicalIp } from './fraud/ip-address';
export type { AccrualCheck, AttributionCheck, FraudCheck, FraudRule, FraudSignals, FraudVerdict, SignalHashes } from './fraud/rules';
export {
  builtInRules,
  disposableEmailRule,
  existingCustomerRule,
  highValueRule,
  ipMatchRule,
  minimumPurchaseRule,
  referrerVolumeRule,
  runRules,
  selfReferralRule,
  velocityRule,
} from './fraud/rules';
export type { MoveToGroupInput, SetParticipantTermsInput } from './groups/inputs';
export { moveToGroupInputSchema, setParticipantTermsInputSchema } from './groups/inputs';
export type {
  AcceptInvitationInput,
  CancelInvitationInput,
  ExpireInvitationsInput,
  InviteInput,
  InviteManyInput,
  ListInvitationsInput,
  ResendInvitationInput,
} from './invitations/inputs';
export {
  acceptInvitationInputSchema,
  cancelInvitationInputSchema,
  expireInvitationsInputSchema,
  inviteInputSchema,
  inviteManyInputSchema,
  listInvitationsInputSchema,
  resendInvitationInputSchema,
} from './invitations/inputs';
export type { InvitationResult, InviteRowResult } from './invitations/invitations';
export type { Balances } from './ledger/balances';
export type { LinkForInput, ShareLinksForInput, SignedLinkForInput } from './links/inputs';
export { linkForInputSchema, shareLinksForInputSchema, signedLinkForInputSchema } from './links/inputs';
export type { BuildLinkInput, ParsedReferralLink, Utm, UtmKey } from './links/links';
export { buildLinkInputSchema, buildReferralLink, parseReferralLink, UTM_KEYS, utmSchema } from './links/links';
export type { QrCodeSvgInput } from './links/qr';
export { qrCodeSvg, qrCodeSvgInputSchema } from './links/qr';
export type { ShareLinksInput, ShareNetwork } from './links/share';
export { SHARE_NETWORKS, shareLinks, shareLinksInputSchema } from './links/share';
export type { LinkRefusal, LinkVerification } from './links/signed';
export { linkSignature, SIGNED_LINK_PARAMETERS, signLink, verifyLink } from './links/signed';
export { currencyCodeSchema, currencyExponent, decimalAmount, formatMoney, isCurrencyCode } from './money/currency';
export type { ExactRate, ExchangeRateProvider, ExchangeRateQuote, ExchangeRateRequest } from './money/exchange-rate';
export { convertAmount, fixedExchangeRates, parseRate, rateText } from './money/exchange-rate';
export type { RoundingMode } from './money/rounding';
export { applyRate, BPS_PER_UNIT, divideRounded, proportion, ROUNDING_MODES } from './money/rounding';
export type { CreateOnehopOptions, EnrollResult, ResolvedCode } from './onehop';
export { createOnehop, Onehop } from './onehop';
export type { DeliveryContext, DispatchReport, EventHandler } from './outbox/dispatcher';
export { Dispatcher } from './outbox/dispatcher';
export type { DomainEventType, OnehopEvent } from './outbox/events';
export { DOMAIN_EVENT_TYPES } from './outbox/events';
export type { DispatcherOptions, ListEventsInput, PurgeEventsInput, RetryEventInput } from './outbox/inputs';
export { dispatcherOptionsSchema, listEventsInputSchema, purgeEventsInputSchema, retryEventInputSchema } from './outbox/inputs';
export type { AcceptTermsInput, EnrollInput, ReplaceCodeInput, SetParticipantStatusInput } from './participants/inputs';
export { acceptTermsInputSchema, enrollInputSchema, replaceCodeInputSchema, setStatusInputSchema } from './participants/inputs';
export type {
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
export {
  approvePayoutInputSchema,
  createPayoutRunInputSchema,
  markPayoutPaidInputSchema,
  payoutMethodSchema,
  rejectPayoutInputSchema,
  requestPayoutInputSchema,
  retryPayoutInputSchema,
  sendPayoutsInputSchema,
  setPayoutMethodInputSchema,
  setTaxProfileInputSchema,
  settlePayoutInputSchema,
  taxYearReportInputSchema,
} from './payouts/inputs';
export type { PayoutProvider, PayoutSendOutcome, PayoutSendRequest } from './payouts/provider';
export type { PayoutSendResult, SendPayoutsResult } from './payouts/send';
export type { Json, RecordCancellationInput, RecordPurchaseInput, RecordReversalInput, ReinstateChargebackInput } from './purchases/inputs';
export { recordCancellationInputSchema, recordPurchaseInputSchema, recordReversalInputSchema, reinstateChargebackInputSchema } from './purchases/inputs';
export type { PromoCodeResult } from './purchases/promo-code';
export type { CancellationResult } from './purchases/record-cancellation';
export type { IgnoredReason, PurchaseResult, ReversalResult } from './purchases/record-purchase';
export type { ReinstatementResult } from './purchases/reinstate-chargeback';
export type { DecideReviewInput, EraseUserInput, ListReviewsInput, RecordSignInInput, RejectReferralInput } from './reviews/inputs';
export { decideReviewInputSchema, eraseUserInputSchema, listReviewsInputSchema, recordSignInInputSchema, rejectReferralInputSchema } from './reviews/inputs';
export type { ErasureResult } from './reviews/reviews';
export type { SimulatePlanInput } from './simulation/inputs';
export { simulatePlanInputSchema } from './simulation/inputs';
export type { PlanFigures, PlanSimulation } from './simulation/simulate-plan';
export type {
  Actor,
  ActorType,
  AuditEntityType,
  AuditRecord,
  BalanceRecord,
  Bucket,
  ClickRecord,
  CodeRecord,
  CodeStatus,
  CommissionCalculation,
  CommissionKind,
  CommissionRecord,
  CommissionStatus,
  Conversion,
  CounterRecord,
  ErasedPayoutMethod,
  FingerprintKind,
  FingerprintQuery,
  FingerprintRecord,
  FingerprintRole,
  FraudFinding,
  InvitationRecord,
  InvitationStatus,
  LedgerEntryKind,
  LedgerEntryRecord,
  LedgerSourceType,
  OutboxRecord,
  OutboxStatus,
  ParticipantRecord,
  ParticipantStatus,
  ParticipantTerms,
  PayoutMethod,
  PayoutMethodRecord,
  PayoutRecord,
  PayoutRunRecord,
  PayoutRunResult,
  PayoutRunStatus,
  PayoutSkipReason,
  PayoutStatus,
  ReferralRecord,
  ReferralStatus,
  ReviewRecord,
  ReviewStatus,
  Scope,
  SourceEventDetails,
  SourceEventKind,
  SourceEventRecord,
  TaxFormType,
  TaxProfileRecord,
  TaxProfileStatus,
} from './store/records';
export {
  ACTOR_TYPES,
  AUDIT_ENTITY_TYPES,
  BUCKETS,
  CODE_STATUSES,
  COMMISSION_KINDS,
  COMMISSION_STATUSES,
  FINGERPRINT_KINDS,
  FINGERPRINT_ROLES,
  INVITATION_STATUSES,
  LEDGER_ENTRY_KINDS,
  LEDGER_SOURCE_TYPES,
  OPEN_PAYOUT_STATUSES,
  OUTBOX_STATUSES,
  PARTICIPANT_STATUSES,
  PAYOUT_RUN_STATUSES,
  PAYOUT_SKIP_REASONS,
  PAYOUT_STATUSES,
  REFERRAL_STATUSES,
  REVIEW_STATUSES,
  SOURCE_EVENT_KINDS,
  TAX_FORM_TYPES,
  TAX_PROFILE_STATUSES,
} from './store/records';
export type {
  AccrualFacts,
  AccrualQuery,
  AccrualRepository,
  AuditRepository,
  Awaitable,
  BalanceDelta,
  BalanceRepository,
  ClickRepository,
  CodeRepository,
  CommissionRepository,
  CounterRepository,
  CursorPage,
  FingerprintRepository,
  HistoryPage,
  InvitationRepository,
  LedgerRepository,
  LockOptions,
  OutboxClaim,
  OutboxRepository,
  Page,
  ParticipantRepository,
  PayoutMethodRepository,
  PayoutRepository,
  PayoutRunRepository,
  ReferralRepository,
  ReviewRepository,
  SourceEventRepository,
  StatementTracer,
  Store,
  StoreCapabilities,
  StoreTransaction,
  TaxProfileRepository,
  TransactionOptions,
  UniqueConstraint,
  WriteGuard,
  WriteSet,
} from './store/store';
export { UNIQUE_CONSTRAINTS } from './store/store';
