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

export type { SkipReason } from './accrual/accrue';
export type { AttributionRejection, AttributionResult } from './attribution/attribution-result';
export { ATTRIBUTION_REJECTIONS } from './attribution/attribution-result';
export type { AdminAction, AdminActionInputs, AdminActor, AdminSubject, AuthorizationRequest, AuthorizeHook } from './authorization/authorization';
export { ADMIN_ACTIONS } from './authorization/authorization';
export type { ClickResult } from './clicks/clicks';
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
export type { CommissionConfig, CommissionRule, PercentageScope } from './config/commission';
export { commissionConfigSchema, commissionRuleSchema, percentageScopeSchema } from './config/commission';
export type { FraudConfig } from './config/fraud';
export { fraudConfigSchema, privacyConfigSchema } from './config/fraud';
export type { Mode, ProgramConfig, ProgramConfigInput } from './config/program';
export { MODES, parseProgramConfig, programConfigSchema } from './config/program';
export type { DailyMetric } from './counters/stats';
export { DAILY_METRICS, PROGRAM_SHARDS } from './counters/stats';
export type { Funnel } from './dashboard/funnel';
export type { Performance, PerformancePoint } from './dashboard/performance';
export type { ProgramOverview } from './dashboard/program-overview';
export type { RefereeStatus } from './dashboard/referee-status';
export type { ReferrerOverview } from './dashboard/referrer-overview';
export type { Statement } from './dashboard/statement';
export { csvField, TAX_EXPORT_HEADER } from './dashboard/tax-export';
export type { TierProgress } from './dashboard/tier-progress';
export { normalizeEmail } from './email/normalize-email';
export type {
  AcceptInvitationInput,
  AcceptTermsInput,
  AdjustBalanceInput,
  ApproveDueInput,
  ApprovePayoutInput,
  AttributeInput,
  DecideCommissionInput,
  DecideReviewInput,
  EnrollInput,
  EraseUserInput,
  FunnelInput,
  HistoryInput,
  Json,
  LinkForInput,
  ListClicksInput,
  ListReviewsInput,
  MarkPayoutPaidInput,
  PayoutsByStatusInput,
  PerformanceInput,
  PeriodInput,
  RecordClickInput,
  RecordPurchaseInput,
  RecordReversalInput,
  RecordSignInInput,
  RefereeInput,
  ReferralsByStatusInput,
  RejectPayoutInput,
  RejectReferralInput,
  ReplaceCodeInput,
  RequestPayoutInput,
  SetParticipantStatusInput,
  SetPayoutMethodInput,
  StatementInput,
  TaxExportInput,
  TopReferrersInput,
  UserInput,
} from './engine/inputs';
export {
  acceptTermsInputSchema,
  adjustBalanceInputSchema,
  approveDueInputSchema,
  approvePayoutInputSchema,
  attributeInputSchema,
  decideCommissionInputSchema,
  decideReviewInputSchema,
  enrollInputSchema,
  eraseUserInputSchema,
  funnelInputSchema,
  historyInputSchema,
  linkForInputSchema,
  listClicksInputSchema,
  listReviewsInputSchema,
  markPayoutPaidInputSchema,
  payoutMethodSchema,
  performanceInputSchema,
  periodInputSchema,
  recordClickInputSchema,
  recordPurchaseInputSchema,
  recordReversalInputSchema,
  recordSignInInputSchema,
  refereeInputSchema,
  referralsByStatusInputSchema,
  rejectPayoutInputSchema,
  rejectReferralInputSchema,
  replaceCodeInputSchema,
  requestPayoutInputSchema,
  setPayoutMethodInputSchema,
  setStatusInputSchema,
  statementInputSchema,
  taxExportInputSchema,
  topReferrersInputSchema,
  userInputSchema,
} from './engine/inputs';
export * from './errors/index';
export { DEFAULT_IPV6_PREFIX_LENGTH, type KeyedHashOptions, keyedHash } from './fraud/hash';
export { canonicalIp } from './fraud/ip-address';
export type { AccrualCheck, AttributionCheck, FraudCheck, FraudRule, FraudSignals, FraudVerdict, SignalHashes } from './fraud/rules';
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
export type {
  CancelInvitationInput,
  InvitationResult,
  InviteInput,
  InviteManyInput,
  InviteRowResult,
  ListInvitationsInput,
  ResendInvitationInput,
} from './invitations/invitations';
export {
  cancelInvitationInputSchema,
  inviteInputSchema,
  inviteManyInputSchema,
  listInvitationsInputSchema,
  resendInvitationInputSchema,
} from './invitations/invitations';
export type { Balances } from './ledger/balances';
export type { BuildLinkInput, ParsedReferralLink, Utm, UtmKey } from './links/links';
export { buildLinkInputSchema, buildReferralLink, parseReferralLink, UTM_KEYS, utmSchema } from './links/links';
export type { QrCodeSvgInput } from './links/qr';
export { qrCodeSvg, qrCodeSvgInputSchema } from './links/qr';
export type { ShareLinksInput, ShareNetwork } from './links/share';
export { SHARE_NETWORKS, shareLinks, shareLinksInputSchema } from './links/share';
export type { LinkRefusal, LinkVerification } from './links/signed';
export { linkSignature, SIGNED_LINK_PARAMETERS, signLink, verifyLink } from './links/signed';
export { currencyCodeSchema, currencyExponent, decimalAmount, formatMoney, isCurrencyCode } from './money/currency';
export type { RoundingMode } from './money/rounding';
export { applyRate, BPS_PER_UNIT, divideRounded, proportion, ROUNDING_MODES } from './money/rounding';
export type { CreateOnehopOptions, EnrollResult, ResolvedCode } from './onehop';
export { createOnehop, Onehop } from './onehop';
export type { DeliveryContext, DispatcherOptions, DispatchReport, EventHandler, ListEventsInput, PurgeEventsInput, RetryEventInput } from './outbox/dispatcher';
export { Dispatcher, dispatcherOptionsSchema } from './outbox/dispatcher';
export type { DomainEventType, OnehopEvent } from './outbox/events';
export { DOMAIN_EVENT_TYPES } from './outbox/events';
export type { PayoutProvider } from './payouts/payouts';
export type { IgnoredReason, PurchaseResult, ReversalResult } from './purchases/record-purchase';
export type { ErasureResult } from './reviews/reviews';
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
  PayoutMethod,
  PayoutMethodRecord,
  PayoutRecord,
  PayoutStatus,
  ReferralRecord,
  ReferralStatus,
  ReviewRecord,
  ReviewStatus,
  Scope,
  SourceEventKind,
  SourceEventRecord,
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
  PAYOUT_STATUSES,
  REFERRAL_STATUSES,
  REVIEW_STATUSES,
  SOURCE_EVENT_KINDS,
} from './store/records';
export type {
  AuditRepository,
  Awaitable,
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
  ReferralRepository,
  ReviewRepository,
  SourceEventRepository,
  Store,
  StoreCapabilities,
  StoreTransaction,
  UniqueConstraint,
} from './store/store';
export { UNIQUE_CONSTRAINTS } from './store/store';
