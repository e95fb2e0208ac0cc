import type { Work } from '../engine/work';
import { CodeGenerationExhaustedError, CodeTakenError, ParticipantNotFoundError } from '../errors/errors';
import type { ParticipantRecord } from '../store/records';

/** How many codes are tried before giving up on finding an unused one. */
const CODE_ATTEMPTS = 10;

/** The participant, locked for the rest of the transaction; ParticipantNotFoundError when there is none. */
export async function requireParticipant(work: Work, userId: string): Promise<ParticipantRecord> {
  const participant = await work.tx.participants.get(work.scope, userId, { forUpdate: true });
  if (!participant) throw new ParticipantNotFoundError(userId);
  return participant;
}

/** Returns the vanity code if it is free, else a generated unused code. */
/** Writes a participant's new active code (at enrolment, or replacing the old one). */
export async function insertCode(work: Work, row: { code: string; userId: string; vanity: boolean; at: Date }): Promise<void> {
  await work.tx.codes.insert({
    programId: work.scope.programId,
    mode: work.scope.mode,
    code: row.code,
    userId: row.userId,
    status: 'active',
    vanity: row.vanity,
    createdAt: row.at,
    retiredAt: null,
  });
}

export async function pickCode(work: Work, vanity: string | undefined, field = 'code'): Promise<string> {
  if (vanity !== undefined) {
    if (await work.tx.codes.get(work.scope, vanity)) throw new CodeTakenError(vanity, field);
    return vanity;
  }
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const candidate = work.ctx.generateCode();
    if (!(await work.tx.codes.get(work.scope, candidate))) return candidate;
  }
  throw new CodeGenerationExhaustedError(CODE_ATTEMPTS);
}
