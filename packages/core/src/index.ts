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
export { createOnehop, Onehop } from './onehop';
export type { CreateOnehopOptions, EnrollResult, ResolvedCode } from './onehop';
export type { IgnoredReason, PurchaseResult, ReversalResult } from './purchases/record-purchase';
export type { SkipReason } from './accrual/accrue';
export type { Balances } from './ledger/balances';
export { DOMAIN_EVENT_TYPES } from './outbox/events';
export {
  cancelInvitationInputSchema,
  inviteInputSchema,
  inviteManyInputSchema,
  listInvitationsInputSchema,
  resendInvitationInputSchema,
} from './invitations/invitations';
export type {
  CancelInvitationInput,
  InvitationResult,
  InviteInput,
  InviteManyInput,
  InviteRowResult,
  ListInvitationsInput,
  ResendInvitationInput,
} from './invitations/invitations';
export type { AcceptInvitationInput } from './engine/inputs';
export type { DomainEventType, OnehopEvent } from './outbox/events';
export { Dispatcher, dispatcherOptionsSchema } from './outbox/dispatcher';
export type { DeliveryContext, DispatcherOptions, DispatchReport, EventHandler, ListEventsInput, PurgeEventsInput, RetryEventInput } from './outbox/dispatcher';
export type { PayoutProvider } from './payouts/payouts';
export type { ErasureResult } from './reviews/reviews';
export { calculateLine, paysPerReferral, tierIndex } from './commissions/calculate';
export type { LineContext, LineOutcome, Terms } from './commissions/calculate';
export { commissionConfigSchema, commissionRuleSchema, percentageScopeSchema } from './config/commission';
export type { CommissionConfig, CommissionRule, PercentageScope } from './config/commission';
export { applyRate, divideRounded, proportion, ROUNDING_MODES, BPS_PER_UNIT } from './money/rounding';
export type { RoundingMode } from './money/rounding';
export { PERIODS, periodBounds, periodKey } from './clock/periods';
export type { Period } from './clock/periods';
export { ATTRIBUTION_REJECTIONS } from './attribution/attribution-result';
export type { AttributionRejection, AttributionResult } from './attribution/attribution-result';
export {
  acceptTermsInputSchema,
  adjustBalanceInputSchema,
  approveDueInputSchema,
  approvePayoutInputSchema,
  attributeInputSchema,
  decideCommissionInputSchema,
  markPayoutPaidInputSchema,
  payoutMethodSchema,
  recordPurchaseInputSchema,
  recordReversalInputSchema,
  rejectPayoutInputSchema,
  requestPayoutInputSchema,
  setPayoutMethodInputSchema,
  enrollInputSchema,
  linkForInputSchema,
  replaceCodeInputSchema,
  setStatusInputSchema,
  decideReviewInputSchema,
  eraseUserInputSchema,
  listReviewsInputSchema,
  recordSignInInputSchema,
  rejectReferralInputSchema,
  recordClickInputSchema,
  listClicksInputSchema,
  funnelInputSchema,
  historyInputSchema,
  performanceInputSchema,
  periodInputSchema,
  refereeInputSchema,
  referralsByStatusInputSchema,
  statementInputSchema,
  taxExportInputSchema,
  topReferrersInputSchema,
  userInputSchema,
} from './engine/inputs';
export type {
  AcceptTermsInput,
  AdjustBalanceInput,
  ApproveDueInput,
  ApprovePayoutInput,
  DecideCommissionInput,
  MarkPayoutPaidInput,
  PayoutsByStatusInput,
  RecordPurchaseInput,
  RecordReversalInput,
  RejectPayoutInput,
  RequestPayoutInput,
  SetPayoutMethodInput,
  AttributeInput,
  Json,
  EnrollInput,
  LinkForInput,
  ReplaceCodeInput,
  SetParticipantStatusInput,
  DecideReviewInput,
  EraseUserInput,
  ListReviewsInput,
  RecordSignInInput,
  RejectReferralInput,
  RecordClickInput,
  ListClicksInput,
  FunnelInput,
  HistoryInput,
  PerformanceInput,
  PeriodInput,
  RefereeInput,
  ReferralsByStatusInput,
  StatementInput,
  TaxExportInput,
  TopReferrersInput,
  UserInput,
} from './engine/inputs';
export type { ClickResult } from './clicks/clicks';
export { csvField, TAX_EXPORT_HEADER } from './dashboard/tax-export';
export type { Funnel } from './dashboard/funnel';
export type { Performance, PerformancePoint } from './dashboard/performance';
export type { ProgramOverview } from './dashboard/program-overview';
export type { RefereeStatus } from './dashboard/referee-status';
export type { ReferrerOverview } from './dashboard/referrer-overview';
export type { Statement } from './dashboard/statement';
export type { TierProgress } from './dashboard/tier-progress';
export { DAILY_METRICS, PROGRAM_SHARDS } from './counters/stats';
export type { DailyMetric } from './counters/stats';
export {
  builtInRules,
  disposableEmailRule,
  existingCustomerRule,
  highValueRule,
  ipMatchRule,
  isDisposableDomain,
  minimumPurchaseRule,
  referrerVolumeRule,
  runRules,
  selfReferralRule,
  velocityRule,
} from './fraud/rules';
export type { AccrualCheck, AttributionCheck, FraudCheck, FraudRule, FraudSignals, FraudVerdict, SignalHashes } from './fraud/rules';
export { keyedHash, DEFAULT_IPV6_PREFIX_LENGTH, type KeyedHashOptions } from './fraud/hash';
export { canonicalIp } from './fraud/ip-address';
export { fraudConfigSchema, privacyConfigSchema } from './config/fraud';
export type { FraudConfig } from './config/fraud';
export { MODES, parseProgramConfig, programConfigSchema } from './config/program';
export type { Mode, ProgramConfig, ProgramConfigInput } from './config/program';
export { ADMIN_ACTIONS } from './authorization/authorization';
export type { AdminAction, AdminActionInputs, AdminActor, AdminSubject, AuthorizationRequest, AuthorizeHook } from './authorization/authorization';
export { normalizeCode } from './codes/normalize';
export { CODE_PATTERN, matchesCodeFormat } from './codes/format';
export { checkVanityCode } from './codes/vanity';
export { createCodeGenerator } from './codes/generate';
export type { CodeGenerator } from './codes/generate';
export {
  DEFAULT_CODE_ALPHABET,
  DEFAULT_CODE_LENGTH,
  DEFAULT_RESERVED_WORDS,
  VANITY_CODE_MAX_LENGTH,
  VANITY_CODE_MIN_LENGTH,
  VANITY_CODE_PATTERN,
} from './codes/alphabet';
export { normalizeEmail } from './email/normalize-email';
export { buildLinkInputSchema, buildReferralLink, parseReferralLink, UTM_KEYS, utmSchema } from './links/links';
export type { BuildLinkInput, ParsedReferralLink, Utm, UtmKey } from './links/links';
export { SHARE_NETWORKS, shareLinks, shareLinksInputSchema } from './links/share';
export type { ShareLinksInput, ShareNetwork } from './links/share';
export { qrCodeSvg, qrCodeSvgInputSchema } from './links/qr';
export type { QrCodeSvgInput } from './links/qr';
export { linkSignature, signLink, verifyLink, SIGNED_LINK_PARAMETERS } from './links/signed';
export type { LinkRefusal, LinkVerification } from './links/signed';
export { currencyCodeSchema, currencyExponent, formatMoney, isCurrencyCode } from './money/currency';
export { createManualClock, systemClock } from './clock/clock';
export type { Clock, ManualClock } from './clock/clock';
export { UNIQUE_CONSTRAINTS } from './store/store';
export type {
  Awaitable,
  AuditRepository,
  ClickRepository,
  BalanceRepository,
  CodeRepository,
  CommissionRepository,
  CounterRepository,
  CursorPage,
  HistoryPage,
  FingerprintRepository,
  LedgerRepository,
  ReviewRepository,
  InvitationRepository,
  OutboxClaim,
  OutboxRepository,
  PayoutMethodRepository,
  PayoutRepository,
  SourceEventRepository,
  LockOptions,
  Page,
  ParticipantRepository,
  ReferralRepository,
  Store,
  StoreCapabilities,
  StoreTransaction,
  UniqueConstraint,
} from './store/store';
export {
  ACTOR_TYPES,
  AUDIT_ENTITY_TYPES,
  BUCKETS,
  CODE_STATUSES,
  COMMISSION_KINDS,
  COMMISSION_STATUSES,
  LEDGER_ENTRY_KINDS,
  LEDGER_SOURCE_TYPES,
  OPEN_PAYOUT_STATUSES,
  PARTICIPANT_STATUSES,
  PAYOUT_STATUSES,
  REFERRAL_STATUSES,
  SOURCE_EVENT_KINDS,
  FINGERPRINT_KINDS,
  FINGERPRINT_ROLES,
  REVIEW_STATUSES,
  INVITATION_STATUSES,
  OUTBOX_STATUSES,
} from './store/records';
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
  CounterRecord,
  LedgerEntryKind,
  LedgerEntryRecord,
  LedgerSourceType,
  ErasedPayoutMethod,
  PayoutMethod,
  PayoutMethodRecord,
  PayoutRecord,
  PayoutStatus,
  SourceEventKind,
  SourceEventRecord,
  ParticipantRecord,
  ParticipantStatus,
  ReferralRecord,
  ReferralStatus,
  Scope,
  FingerprintKind,
  FingerprintQuery,
  FingerprintRecord,
  FingerprintRole,
  FraudFinding,
  ReviewRecord,
  ReviewStatus,
  InvitationRecord,
  InvitationStatus,
  OutboxRecord,
  OutboxStatus,
} from './store/records';
export * from './errors/index';
