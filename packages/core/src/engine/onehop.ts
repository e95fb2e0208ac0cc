import type { z } from 'zod';
import { createCodeGenerator, type CodeGenerator } from '../codes/generate';
import { normalizeCode } from '../codes/normalize';
import { checkVanityCode } from '../codes/vanity';
import { systemClock, type Clock } from '../clock/clock';
import { parseProgramConfig, type Mode, type ProgramConfig, type ProgramConfigInput } from '../config/program';
import { normalizeEmail } from '../email/normalize-email';
import {
  AlreadyEnrolledError,
  CodeGenerationExhaustedError,
  CodeTakenError,
  isOnehopError,
  LiveModeRefusedError,
  ParticipantNotFoundError,
  TermsNotAcceptedError,
  UniqueViolationError,
  ValidationError,
} from '../errors/errors';
import { buildReferralLink, parseReferralLink, type ParsedReferralLink } from '../links/links';
import type {
  Actor,
  AuditEntityType,
  AuditRecord,
  CodeRecord,
  ParticipantRecord,
  ParticipantStatus,
  ReferralRecord,
  Scope,
} from '../store/records';
import { UNIQUE_CONSTRAINTS, type Store, type StoreTransaction } from '../store/store';
import type { AttributionRejection, AttributionResult } from './attribution-result';
import { newId } from './ids';
import {
  acceptTermsInputSchema,
  attributeInputSchema,
  auditEntityTypeSchema,
  codeInputSchema,
  enrollInputSchema,
  linkForInputSchema,
  listInputSchema,
  replaceCodeInputSchema,
  setStatusInputSchema,
  userIdSchema,
  type AcceptTermsInput,
  type AttributeInput,
  type EnrollInput,
  type LinkForInput,
  type ReplaceCodeInput,
  type SetParticipantStatusInput,
} from './inputs';

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
}

/** Result of `enroll`. */
export interface EnrollResult {
  participant: ParticipantRecord;
  /** False when the user was enrolled already and the existing code is returned. */
  created: boolean;
}

/** Result of `resolveCode`. */
export interface ResolvedCode {
  /** The code looked up, normalised. */
  code: string;
  userId: string;
  /** `retired` codes still resolve to their user. */
  status: CodeRecord['status'];
  /** The user's current code (differs from `code` when `code` is retired). */
  currentCode: string;
}

/** How many codes are tried before giving up on finding an unused one. */
const CODE_ATTEMPTS = 10;
/** Clocks disagree a little; a click up to this far in the future is accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

function parse<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error, root);
  return result.data;
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
  private readonly scope: Scope;
  private readonly generateCode: CodeGenerator;
  private readonly maxRetries: number;

  constructor(options: CreateOnehopOptions) {
    this.program = parseProgramConfig(options.program, options.env ?? defaultEnv());
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.maxRetries = options.maxRetries ?? 5;
    this.generateCode = options.generateCode ?? createCodeGenerator(this.program.codes.alphabet, this.program.codes.length);
    this.scope = { programId: this.program.id, mode: this.program.mode };
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
  async enroll(input: EnrollInput): Promise<EnrollResult> {
    const data = parse(enrollInputSchema, input);
    const vanity = data.code === undefined ? undefined : checkVanityCode(data.code, this.program.codes.reservedWords);
    const terms = this.program.terms;
    return this.run(async (tx) => {
      const existing = await tx.participants.get(this.scope, data.userId, { forUpdate: true });
      if (existing) {
        if (vanity !== undefined && vanity !== existing.code) throw new AlreadyEnrolledError(data.userId, existing.code);
        return { participant: existing, created: false };
      }
      if (terms?.requireCurrent && data.acceptedTermsVersion !== terms.currentVersion) {
        throw new TermsNotAcceptedError(terms.currentVersion, data.acceptedTermsVersion);
      }
      const now = this.clock.now();
      const code = await this.pickCode(tx, vanity);
      const participant: ParticipantRecord = {
        ...this.scope,
        userId: data.userId,
        email: data.email ?? null,
        emailNormalized: data.email === undefined ? null : normalizeEmail(data.email),
        code,
        status: 'active',
        termsVersion: data.acceptedTermsVersion ?? null,
        enrolledAt: now,
        updatedAt: now,
      };
      await tx.participants.insert(participant);
      await tx.codes.insert({ ...this.scope, code, userId: data.userId, status: 'active', vanity: vanity !== undefined, createdAt: now, retiredAt: null });
      await this.audit(tx, 'participant', data.userId, 'participant.enrolled', { type: 'user', id: data.userId }, {
        after: 'active',
        data: { code, termsVersion: participant.termsVersion },
      });
      return { participant, created: true };
    }, (error) => {
      // A racing enroll of the same user committed first: run again to return it.
      if (error.constraint === UNIQUE_CONSTRAINTS.participantUser) return 'retry';
      if (error.constraint === UNIQUE_CONSTRAINTS.codeValue) return vanity === undefined ? 'retry' : new CodeTakenError(vanity);
      return error;
    });
  }

  /** Records that an enrolled user accepted a version of the program terms. */
  async acceptTerms(input: AcceptTermsInput): Promise<ParticipantRecord> {
    const data = parse(acceptTermsInputSchema, input);
    return this.run(async (tx) => {
      const participant = await this.requireParticipant(tx, data.userId);
      const now = this.clock.now();
      await tx.participants.update(this.scope, data.userId, { termsVersion: data.version, updatedAt: now });
      await this.audit(tx, 'participant', data.userId, 'participant.terms_accepted', { type: 'user', id: data.userId }, {
        before: participant.termsVersion,
        after: data.version,
      });
      return { ...participant, termsVersion: data.version, updatedAt: now };
    });
  }

  /** The participant with this user id, or null. */
  async getParticipant(userId: string): Promise<ParticipantRecord | null> {
    const id = parse(userIdSchema, userId, 'userId');
    return this.run((tx) => tx.participants.get(this.scope, id));
  }

  /**
   * Admin: gives a user a new code (a vanity `newCode`, or a generated one).
   * The old code is retired: it keeps resolving to the same user and is never
   * given to anyone else.
   */
  async replaceCode(input: ReplaceCodeInput): Promise<{ participant: ParticipantRecord; retiredCode: string }> {
    const data = parse(replaceCodeInputSchema, input);
    const vanity = data.newCode === undefined ? undefined : checkVanityCode(data.newCode, this.program.codes.reservedWords, 'newCode');
    return this.run(async (tx) => {
      const participant = await this.requireParticipant(tx, data.userId);
      const oldCode = participant.code;
      if (vanity === oldCode) throw new CodeTakenError(vanity, 'newCode');
      const now = this.clock.now();
      const code = await this.pickCode(tx, vanity, 'newCode');
      await tx.codes.insert({ ...this.scope, code, userId: data.userId, status: 'active', vanity: vanity !== undefined, createdAt: now, retiredAt: null });
      await tx.codes.update(this.scope, oldCode, { status: 'retired', retiredAt: now });
      await tx.participants.update(this.scope, data.userId, { code, updatedAt: now });
      const admin: Actor = { type: 'admin', id: data.adminId };
      await this.audit(tx, 'code', oldCode, 'code.retired', admin, { before: 'active', after: 'retired', reason: data.reason, data: { userId: data.userId, replacedBy: code } });
      await this.audit(tx, 'code', code, 'code.created', admin, { after: 'active', reason: data.reason, data: { userId: data.userId, replaces: oldCode } });
      return { participant: { ...participant, code, updatedAt: now }, retiredCode: oldCode };
    }, (error) => (error.constraint === UNIQUE_CONSTRAINTS.codeValue ? (vanity === undefined ? 'retry' : new CodeTakenError(vanity, 'newCode')) : error));
  }

  /** Every code a user has had, oldest first, retired ones included. */
  async listCodes(userId: string): Promise<CodeRecord[]> {
    const id = parse(userIdSchema, userId, 'userId');
    return this.run((tx) => tx.codes.listByUser(this.scope, id));
  }

  /**
   * Finds whose code this is. Case, spaces and hyphens are ignored
   * (`abcd-efgh` finds `ABCDEFGH`); retired codes still resolve.
   */
  async resolveCode(code: string): Promise<ResolvedCode | null> {
    const normalized = normalizeCode(parse(codeInputSchema, code, 'code'));
    if (normalized === '') return null;
    return this.run(async (tx) => {
      const row = await tx.codes.get(this.scope, normalized);
      if (!row) return null;
      const owner = await tx.participants.get(this.scope, row.userId);
      return { code: row.code, userId: row.userId, status: row.status, currentCode: owner?.code ?? row.code };
    });
  }

  /** Admin: suspends a participant; their code stops attributing sign-ups. */
  async suspendParticipant(input: SetParticipantStatusInput): Promise<ParticipantRecord> {
    return this.setStatus(input, 'suspended');
  }

  /** Admin: makes a suspended participant active again. */
  async reinstateParticipant(input: SetParticipantStatusInput): Promise<ParticipantRecord> {
    return this.setStatus(input, 'active');
  }

  private async setStatus(input: SetParticipantStatusInput, status: ParticipantStatus): Promise<ParticipantRecord> {
    const data = parse(setStatusInputSchema, input);
    return this.run(async (tx) => {
      const participant = await this.requireParticipant(tx, data.userId);
      if (participant.status === status) return participant;
      const now = this.clock.now();
      await tx.participants.update(this.scope, data.userId, { status, updatedAt: now });
      await this.audit(tx, 'participant', data.userId, status === 'suspended' ? 'participant.suspended' : 'participant.reinstated', { type: 'admin', id: data.adminId }, {
        before: participant.status,
        after: status,
        reason: data.reason,
      });
      return { ...participant, status, updatedAt: now };
    });
  }

  // --------------------------------------------------------------- attribution

  /**
   * Attributes a new sign-up to the owner of `code`: one hop only, the direct
   * referrer and nobody above them. A refused attribution returns
   * `{ ok: false, reason }` and writes nothing but an audit record of the attempt.
   */
  async attribute(input: AttributeInput): Promise<AttributionResult> {
    const data = parse(attributeInputSchema, input);
    const code = normalizeCode(data.code);
    if (code === '') throw new ValidationError([{ field: 'code', message: 'must contain a letter or digit' }]);
    const now = this.clock.now();
    if (data.clickedAt && data.clickedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new ValidationError([{ field: 'clickedAt', message: 'must not be in the future' }]);
    }
    const refereeEmail = data.email === undefined ? null : normalizeEmail(data.email);

    return this.run(async (tx): Promise<AttributionResult> => {
      const reject = async (reason: AttributionRejection, message: string, details: Record<string, unknown> = {}): Promise<AttributionResult> => {
        await this.audit(tx, 'attribution_attempt', data.refereeId, 'attribution.rejected', { type: 'system', id: null }, {
          reason,
          data: { code, ...details },
        });
        return { ok: false, reason, message, details };
      };

      const codeRow = await tx.codes.get(this.scope, code);
      if (!codeRow) return reject('UNKNOWN_CODE', `No referral code "${code}" in this program.`);
      // Lock the referrer: all work on one referrer is serialised.
      const referrer = await tx.participants.get(this.scope, codeRow.userId, { forUpdate: true });
      if (!referrer || referrer.status !== 'active') {
        return reject('REFERRER_INACTIVE', `The owner of code "${code}" is not an active participant.`, { referrerId: codeRow.userId });
      }
      if (referrer.userId === data.refereeId) {
        return reject('SELF_REFERRAL', 'A user cannot refer themselves.', { referrerId: referrer.userId, match: 'user_id' });
      }
      if (refereeEmail !== null && referrer.emailNormalized !== null && refereeEmail === referrer.emailNormalized) {
        return reject('SELF_REFERRAL', 'The referee has the same email address as the referrer.', { referrerId: referrer.userId, match: 'email' });
      }
      if (data.clickedAt && now.getTime() - data.clickedAt.getTime() > this.program.attribution.windowDays * DAY_MS) {
        return reject('CLICK_EXPIRED', `The click is older than the ${this.program.attribution.windowDays}-day attribution window.`, {
          referrerId: referrer.userId,
          clickedAt: data.clickedAt.toISOString(),
        });
      }
      const existing = await tx.referrals.getByReferee(this.scope, data.refereeId);
      if (existing) {
        return reject('DUPLICATE_REFEREE', 'The referee already has a referrer; the first attribution stands.', {
          referrerId: referrer.userId,
          existingReferralId: existing.id,
          existingReferrerId: existing.referrerId,
        });
      }
      const referral: ReferralRecord = {
        ...this.scope,
        id: newId('rfl'),
        referrerId: referrer.userId,
        refereeId: data.refereeId,
        code,
        status: 'pending',
        statusReason: null,
        source: data.source ?? null,
        refereeEmailNormalized: refereeEmail,
        clickedAt: data.clickedAt ?? null,
        attributedAt: now,
        qualifiedAt: null,
        updatedAt: now,
      };
      await tx.referrals.insert(referral);
      await this.audit(tx, 'referral', referral.id, 'referral.created', { type: 'system', id: null }, {
        after: 'pending',
        data: { referrerId: referral.referrerId, refereeId: referral.refereeId, code },
      });
      return { ok: true, referral };
    }, (error) =>
      // Another attribution of this referee committed first: run again, which answers DUPLICATE_REFEREE.
      error.constraint === UNIQUE_CONSTRAINTS.referralReferee ? 'retry' : error,
    );
  }

  /** The referral of a referee, or null. */
  async getReferralByReferee(refereeId: string): Promise<ReferralRecord | null> {
    const id = parse(userIdSchema, refereeId, 'refereeId');
    return this.run((tx) => tx.referrals.getByReferee(this.scope, id));
  }

  /** A referrer's referrals, oldest first. */
  async listReferrals(referrerId: string, page: { limit?: number } = {}): Promise<ReferralRecord[]> {
    const id = parse(userIdSchema, referrerId, 'referrerId');
    const { limit } = parse(listInputSchema, page);
    return this.run((tx) => tx.referrals.listByReferrer(this.scope, id, { limit }));
  }

  // --------------------------------------------------------------------- links

  /** Builds a user's referral link with the program's link parameter. */
  async linkFor(input: LinkForInput): Promise<string> {
    const data = parse(linkForInputSchema, input);
    const participant = await this.getParticipant(data.userId);
    if (!participant) throw new ParticipantNotFoundError(data.userId);
    return buildReferralLink({
      baseUrl: data.baseUrl,
      code: participant.code,
      parameter: this.program.links.parameter,
      ...(data.utm ? { utm: data.utm } : {}),
      ...(data.params ? { params: data.params } : {}),
    });
  }

  /** Reads the code and UTM parameters from a referral link of this program. */
  parseLink(link: string | URL): ParsedReferralLink | null {
    return parseReferralLink(link, this.program.links.parameter);
  }

  // --------------------------------------------------------------------- audit

  /** One entity's audit trail, oldest first. */
  async auditTrail(entityType: AuditEntityType, entityId: string): Promise<AuditRecord[]> {
    const type = parse(auditEntityTypeSchema, entityType, 'entityType');
    const id = parse(userIdSchema, entityId, 'entityId');
    return this.run((tx) => tx.audit.listByEntity(this.scope, type, id));
  }

  // ------------------------------------------------------------------ internal

  /**
   * Runs `fn` in a store transaction. A retryable error (a lost race) runs it
   * again, up to `maxRetries` times; a unique violation is passed to
   * `onUnique`, which says whether to run again or what to throw instead.
   */
  private async run<T>(
    fn: (tx: StoreTransaction) => Promise<T>,
    onUnique: (error: UniqueViolationError) => 'retry' | Error = (error) => error,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(fn);
      } catch (error) {
        const decision = !isOnehopError(error)
          ? error
          : error.code === 'STORE_UNIQUE_VIOLATION'
            ? onUnique(error as UniqueViolationError)
            : error.retryable
              ? 'retry'
              : error;
        if (decision !== 'retry' || attempt >= this.maxRetries) throw decision === 'retry' ? error : decision;
      }
    }
  }

  private async requireParticipant(tx: StoreTransaction, userId: string): Promise<ParticipantRecord> {
    const participant = await tx.participants.get(this.scope, userId, { forUpdate: true });
    if (!participant) throw new ParticipantNotFoundError(userId);
    return participant;
  }

  /** Returns the vanity code if it is free, else a generated unused code. */
  private async pickCode(tx: StoreTransaction, vanity: string | undefined, field = 'code'): Promise<string> {
    if (vanity !== undefined) {
      if (await tx.codes.get(this.scope, vanity)) throw new CodeTakenError(vanity, field);
      return vanity;
    }
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const candidate = this.generateCode();
      if (!(await tx.codes.get(this.scope, candidate))) return candidate;
    }
    throw new CodeGenerationExhaustedError(CODE_ATTEMPTS);
  }

  private async audit(
    tx: StoreTransaction,
    entityType: AuditEntityType,
    entityId: string,
    action: string,
    actor: Actor,
    fields: Partial<Pick<AuditRecord, 'before' | 'after' | 'reason' | 'sourceEvent' | 'data'>> = {},
  ): Promise<void> {
    await tx.audit.append({
      ...this.scope,
      id: newId('aud'),
      entityType,
      entityId,
      action,
      actor,
      before: fields.before ?? null,
      after: fields.after ?? null,
      reason: fields.reason ?? null,
      sourceEvent: fields.sourceEvent ?? null,
      data: fields.data ?? null,
      at: this.clock.now(),
    });
  }
}

