import { authorizeAction } from '../authorization/authorization';
import { normalizeCode } from '../codes/normalize';
import { checkVanityCode } from '../codes/vanity';
import { normalizeEmail } from '../email/normalize-email';
import { type EngineContext, parse } from '../engine/context';
import { codeInputSchema, userIdSchema } from '../engine/fields';
import { AlreadyEnrolledError, CodeTakenError, TermsNotAcceptedError } from '../errors/errors';
import type { Actor, CodeRecord, ParticipantRecord, ParticipantStatus } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import {
  type AcceptTermsInput,
  acceptTermsInputSchema,
  type EnrollInput,
  enrollInputSchema,
  type ReplaceCodeInput,
  replaceCodeInputSchema,
  type SetParticipantStatusInput,
  setStatusInputSchema,
} from './inputs';
import { insertCode, pickCode, requireParticipant } from './steps';

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

/**
 * Enrolls a registered user and gives them one stable code. Enrolling again
 * returns the same participant and code (`created: false`), also when two
 * calls race. Pass `code` to request a vanity code.
 */
export async function enroll(ctx: EngineContext, input: EnrollInput): Promise<EnrollResult> {
  const data = parse(enrollInputSchema, input);
  const vanity = data.code === undefined ? undefined : checkVanityCode(data.code, ctx.program.codes.reservedWords);
  const terms = ctx.program.terms;
  return ctx.run(
    async (work) => {
      const existing = await work.tx.participants.get(ctx.scope, data.userId, { forUpdate: true });
      if (existing) {
        if (vanity !== undefined && vanity !== existing.code) throw new AlreadyEnrolledError(data.userId, existing.code);
        return { participant: existing, created: false };
      }
      if (terms?.requireCurrent && data.acceptedTermsVersion !== terms.currentVersion) {
        throw new TermsNotAcceptedError(terms.currentVersion, data.acceptedTermsVersion);
      }
      const now = work.now();
      const code = await pickCode(work, vanity);
      const participant: ParticipantRecord = {
        programId: ctx.scope.programId,
        mode: ctx.scope.mode,
        userId: data.userId,
        email: data.email ?? null,
        emailNormalized: data.email === undefined ? null : normalizeEmail(data.email),
        code,
        status: 'active',
        termsVersion: data.acceptedTermsVersion ?? null,
        enrolledAt: now,
        updatedAt: now,
        groupId: null,
        customTerms: null,
      };
      await work.tx.participants.insert(participant);
      await insertCode(work, { code, userId: data.userId, vanity: vanity !== undefined, at: now });
      await work.audit(
        'participant',
        data.userId,
        'participant.enrolled',
        { type: 'user', id: data.userId },
        {
          after: 'active',
          data: { code, termsVersion: participant.termsVersion },
        },
      );
      return { participant, created: true };
    },
    (error) => {
      // A racing enroll of the same user committed first: run again to return it.
      if (error.constraint === UNIQUE_CONSTRAINTS.participantUser) return 'retry';
      if (error.constraint === UNIQUE_CONSTRAINTS.codeValue) return vanity === undefined ? 'retry' : new CodeTakenError(vanity);
      return error;
    },
  );
}

/** Records that an enrolled user accepted a version of the program terms. */
export async function acceptTerms(ctx: EngineContext, input: AcceptTermsInput): Promise<ParticipantRecord> {
  const data = parse(acceptTermsInputSchema, input);
  return ctx.run(async (work) => {
    const participant = await requireParticipant(work, data.userId);
    const now = work.now();
    await work.tx.participants.update(ctx.scope, data.userId, { termsVersion: data.version, updatedAt: now });
    await work.audit(
      'participant',
      data.userId,
      'participant.terms_accepted',
      { type: 'user', id: data.userId },
      {
        before: participant.termsVersion,
        after: data.version,
      },
    );
    return { ...participant, termsVersion: data.version, updatedAt: now };
  });
}

/** The participant with this user id, or null. */
export async function getParticipant(ctx: EngineContext, userId: string): Promise<ParticipantRecord | null> {
  const id = parse(userIdSchema, userId, 'userId');
  return ctx.run((work) => work.tx.participants.get(ctx.scope, id));
}

/**
 * Admin: gives a user a new code (a vanity `newCode`, or a generated one).
 * The old code is retired: it keeps resolving to the same user and is never
 * given to anyone else.
 */
export async function replaceCode(ctx: EngineContext, input: ReplaceCodeInput): Promise<{ participant: ParticipantRecord; retiredCode: string }> {
  const data = parse(replaceCodeInputSchema, input);
  const vanity = data.newCode === undefined ? undefined : checkVanityCode(data.newCode, ctx.program.codes.reservedWords, 'newCode');
  await authorizeAction(ctx, 'code.replace', replaceCodeInputSchema, data, (d) => ({ type: 'participant', id: d.userId }));
  return ctx.run(
    async (work) => {
      const participant = await requireParticipant(work, data.userId);
      const oldCode = participant.code;
      if (vanity === oldCode) throw new CodeTakenError(vanity, 'newCode');
      const now = work.now();
      const code = await pickCode(work, vanity, 'newCode');
      await insertCode(work, { code, userId: data.userId, vanity: vanity !== undefined, at: now });
      await work.tx.codes.update(ctx.scope, oldCode, { status: 'retired', retiredAt: now });
      await work.tx.participants.update(ctx.scope, data.userId, { code, updatedAt: now });
      const admin: Actor = { type: 'admin', id: data.adminId };
      await work.audit('code', oldCode, 'code.retired', admin, {
        before: 'active',
        after: 'retired',
        reason: data.reason,
        data: { userId: data.userId, replacedBy: code },
      });
      await work.audit('code', code, 'code.created', admin, { after: 'active', reason: data.reason, data: { userId: data.userId, replaces: oldCode } });
      return { participant: { ...participant, code, updatedAt: now }, retiredCode: oldCode };
    },
    (error) => (error.constraint === UNIQUE_CONSTRAINTS.codeValue ? (vanity === undefined ? 'retry' : new CodeTakenError(vanity, 'newCode')) : error),
  );
}

/** Every code a user has had, oldest first, retired ones included. */
export async function listCodes(ctx: EngineContext, userId: string): Promise<CodeRecord[]> {
  const id = parse(userIdSchema, userId, 'userId');
  return ctx.read((work) => work.tx.codes.listByUser(ctx.scope, id));
}

/**
 * Finds whose code this is. Case, spaces and hyphens are ignored
 * (`abcd-efgh` finds `ABCDEFGH`); retired codes still resolve.
 */
export async function resolveCode(ctx: EngineContext, code: string): Promise<ResolvedCode | null> {
  const normalized = normalizeCode(parse(codeInputSchema, code, 'code'));
  if (normalized === '') return null;
  return ctx.run(async (work) => {
    const row = await work.tx.codes.get(ctx.scope, normalized);
    if (!row) return null;
    const owner = await work.tx.participants.get(ctx.scope, row.userId);
    return { code: row.code, userId: row.userId, status: row.status, currentCode: owner?.code ?? row.code };
  });
}

/** Admin: suspends a participant; their code stops attributing sign-ups. */
export async function suspendParticipant(ctx: EngineContext, input: SetParticipantStatusInput): Promise<ParticipantRecord> {
  return setParticipantStatus(ctx, input, 'suspended');
}

/** Admin: makes a suspended participant active again. */
export async function reinstateParticipant(ctx: EngineContext, input: SetParticipantStatusInput): Promise<ParticipantRecord> {
  return setParticipantStatus(ctx, input, 'active');
}

async function setParticipantStatus(ctx: EngineContext, input: SetParticipantStatusInput, status: ParticipantStatus): Promise<ParticipantRecord> {
  const data = parse(setStatusInputSchema, input);
  await authorizeAction(ctx, status === 'suspended' ? 'participant.suspend' : 'participant.reinstate', setStatusInputSchema, data, (d) => ({
    type: 'participant',
    id: d.userId,
  }));
  return ctx.run(async (work) => {
    const participant = await requireParticipant(work, data.userId);
    if (participant.status === status) return participant;
    const now = work.now();
    await work.tx.participants.update(ctx.scope, data.userId, { status, updatedAt: now });
    await work.audit(
      'participant',
      data.userId,
      status === 'suspended' ? 'participant.suspended' : 'participant.reinstated',
      { type: 'admin', id: data.adminId },
      {
        before: participant.status,
        after: status,
        reason: data.reason,
      },
    );
    return { ...participant, status, updatedAt: now };
  });
}
