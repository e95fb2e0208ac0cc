/**
 * @module @onehop/core
 *
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
 */
export { createOnehop, Onehop } from './engine/onehop';
export type { CreateOnehopOptions, EnrollResult, ResolvedCode } from './engine/onehop';
export { ATTRIBUTION_REJECTIONS } from './engine/attribution-result';
export type { AttributionRejection, AttributionResult } from './engine/attribution-result';
export {
  acceptTermsInputSchema,
  attributeInputSchema,
  enrollInputSchema,
  linkForInputSchema,
  replaceCodeInputSchema,
  setStatusInputSchema,
} from './engine/inputs';
export type {
  AcceptTermsInput,
  AttributeInput,
  EnrollInput,
  LinkForInput,
  ReplaceCodeInput,
  SetParticipantStatusInput,
} from './engine/inputs';
export { MODES, parseProgramConfig, programConfigSchema } from './config/program';
export type { Mode, ProgramConfig, ProgramConfigInput } from './config/program';
export { normalizeCode } from './codes/normalize';
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
export { buildLinkInputSchema, buildReferralLink, parseReferralLink, UTM_KEYS } from './links/links';
export type { BuildLinkInput, ParsedReferralLink, Utm, UtmKey } from './links/links';
export { currencyExponent, formatMoney, isCurrencyCode } from './money/currency';
export { createManualClock, systemClock } from './clock/clock';
export type { Clock, ManualClock } from './clock/clock';
export { UNIQUE_CONSTRAINTS } from './store/store';
export type {
  AuditRepository,
  CodeRepository,
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
  CODE_STATUSES,
  PARTICIPANT_STATUSES,
  REFERRAL_STATUSES,
} from './store/records';
export type {
  Actor,
  ActorType,
  AuditEntityType,
  AuditRecord,
  CodeRecord,
  CodeStatus,
  ParticipantRecord,
  ParticipantStatus,
  ReferralRecord,
  ReferralStatus,
  Scope,
} from './store/records';
export * from './errors/index';
