// Over 300 lines: the stable error codes and one class per condition, kept in one list so codes stay unique and ordered.
import type { ZodError } from 'zod';

/**
 * Every error onehop throws has a stable `code`. Match on `code`, never on
 * `message`: messages may be reworded, codes never change meaning.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_PROGRAM_CONFIG',
  'PARTICIPANT_NOT_FOUND',
  'CODE_NOT_FOUND',
  'CODE_TAKEN',
  'CODE_RESERVED',
  'ALREADY_ENROLLED',
  'TERMS_NOT_ACCEPTED',
  'LIVE_MODE_REFUSED',
  'CODE_GENERATION_EXHAUSTED',
  'TRANSACTION_CONFLICT',
  'STORE_UNIQUE_VIOLATION',
  'CURRENCY_MISMATCH',
  'IDEMPOTENCY_CONFLICT',
  'REFUND_EXCEEDS_PURCHASE',
  'COMMISSION_NOT_FOUND',
  'PAYOUT_NOT_FOUND',
  'INVALID_TRANSITION',
  'PAYOUT_ALREADY_OPEN',
  'PAYOUT_BELOW_MINIMUM',
  'INSUFFICIENT_BALANCE',
  'PAYOUT_METHOD_MISSING',
  'STORE_CONNECTION_LOST',
  'STORE_INTEGRITY_VIOLATION',
  'STORE_SCHEMA_MISMATCH',
  'REVIEW_NOT_FOUND',
  'REFERRAL_NOT_FOUND',
  'HASH_KEY_MISSING',
  'LINK_SIGNING_NOT_CONFIGURED',
  'INVITATION_NOT_FOUND',
  'INVITATION_RESEND_LIMITED',
  'EVENT_NOT_FOUND',
  'STORE_MISCONFIGURED',
  'STORE_TIMEOUT',
  'STORE_DATABASE_ERROR',
  'FORBIDDEN',
  'INVITATION_RATE_LIMITED',
  'BILLING_PROVIDER_ERROR',
  'TAX_PROFILE_REQUIRED',
  'PAYOUT_RUN_CONFLICT',
  'PAYOUT_OUTCOME_UNKNOWN',
  'EXCHANGE_RATE_UNAVAILABLE',
  'UNKNOWN_GROUP',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface OnehopErrorOptions {
  /** Path of the offending input field, e.g. `program.currency` or `code`. */
  field?: string;
  /** What the caller can do about it. */
  hint?: string;
  /** Whether running the same call again may succeed. */
  retryable?: boolean;
  cause?: unknown;
}

/** Base class of every error onehop throws. */
export class OnehopError extends Error {
  override readonly name: string = 'OnehopError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly hint: string | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: OnehopErrorOptions = {}) {
    super(`[onehop] ${message}${options.hint ? ` ${options.hint}` : ''}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }
}

/** One problem found while validating input. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `terms.currentVersion`. */
  field: string;
  message: string;
}

/** Input did not pass validation. Nothing was written. */
export class ValidationError extends OnehopError {
  override readonly name = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], options: { code?: 'VALIDATION_FAILED' | 'INVALID_PROGRAM_CONFIG'; hint?: string } = {}) {
    const first = issues[0];
    const summary = issues.map((i) => `${i.field || '(input)'}: ${i.message}`).join('; ');
    super(options.code ?? 'VALIDATION_FAILED', `Invalid input: ${summary}.`, {
      field: first?.field,
      hint: options.hint ?? 'Fix the named field(s) and call again; nothing was written.',
    });
    this.issues = issues;
  }

  /** Builds a ValidationError from zod's issues, prefixing each path with `root`. */
  static fromZod(error: ZodError, root?: string, options: { code?: 'VALIDATION_FAILED' | 'INVALID_PROGRAM_CONFIG'; hint?: string } = {}): ValidationError {
    const issues = error.issues.map((issue) => {
      const parts = [...(root ? [root] : []), ...issue.path.map(String)];
      return { field: parts.join('.'), message: issue.message };
    });
    return new ValidationError(issues, options);
  }
}

export class ParticipantNotFoundError extends OnehopError {
  override readonly name = 'ParticipantNotFoundError';
  constructor(userId: string, field = 'userId') {
    super('PARTICIPANT_NOT_FOUND', `No enrolled participant with user id "${userId}".`, {
      field,
      hint: 'Enroll the user first with enroll({ userId }).',
    });
  }
}

/**
 * @deprecated Nothing in onehop throws it: `resolveCode` answers null for an
 * unknown code, and `attribute` refuses it with the reason `UNKNOWN_CODE`.
 * Kept, with its code `CODE_NOT_FOUND`, so code that matches on it still compiles.
 */
export class CodeNotFoundError extends OnehopError {
  override readonly name = 'CodeNotFoundError';
  constructor(code: string, field = 'code') {
    super('CODE_NOT_FOUND', `No referral code "${code}" in this program.`, {
      field,
      hint: 'Check the code; lookups ignore case, spaces and hyphens.',
    });
  }
}

export class CodeTakenError extends OnehopError {
  override readonly name = 'CodeTakenError';
  constructor(code: string, field = 'code') {
    super('CODE_TAKEN', `The code "${code}" is already taken (codes are unique regardless of case, and retired codes are never reused).`, {
      field,
      hint: 'Choose another code.',
    });
  }
}

export class CodeReservedError extends OnehopError {
  override readonly name = 'CodeReservedError';
  constructor(code: string, field = 'code') {
    super('CODE_RESERVED', `The code "${code}" is a reserved word.`, {
      field,
      hint: 'Choose another code; see program.codes.reservedWords.',
    });
  }
}

export class AlreadyEnrolledError extends OnehopError {
  override readonly name = 'AlreadyEnrolledError';
  constructor(userId: string, currentCode: string) {
    super('ALREADY_ENROLLED', `User "${userId}" is already enrolled with code "${currentCode}".`, {
      field: 'code',
      hint: 'Call enroll without a code to get the existing one, or replaceCode to change it.',
    });
  }
}

export class TermsNotAcceptedError extends OnehopError {
  override readonly name = 'TermsNotAcceptedError';
  constructor(required: string, given: string | undefined) {
    super(
      'TERMS_NOT_ACCEPTED',
      given === undefined
        ? `The program requires acceptance of terms version "${required}".`
        : `The program requires terms version "${required}", but "${given}" was accepted.`,
      { field: 'acceptedTermsVersion', hint: `Pass acceptedTermsVersion: "${required}" once the user has accepted it.` },
    );
  }
}

export class LiveModeRefusedError extends OnehopError {
  override readonly name = 'LiveModeRefusedError';
  constructor(storeName: string) {
    super('LIVE_MODE_REFUSED', `The ${storeName} store keeps data only in memory, so it refuses live mode: live commissions would vanish on restart.`, {
      field: 'program.mode',
      hint: 'Use a durable store (e.g. @onehop/postgres) for live mode, or pass { allowLive: true } to the memory store if you really mean it.',
    });
  }
}

export class CodeGenerationExhaustedError extends OnehopError {
  override readonly name = 'CodeGenerationExhaustedError';
  constructor(attempts: number) {
    super('CODE_GENERATION_EXHAUSTED', `Could not generate an unused code in ${attempts} attempts.`, {
      field: 'program.codes.length',
      hint: 'The code space is crowded: raise program.codes.length.',
      retryable: true,
    });
  }
}

/**
 * A transaction lost a race (a serialisation failure, a deadlock) and rolled
 * back completely. The engine runs it again a few times (`maxRetries`) before
 * this reaches the caller; running the call again is safe. A lost connection
 * is not a conflict: it is `ConnectionLostError`, which the engine does not retry.
 */
export class TransactionConflictError extends OnehopError {
  override readonly name = 'TransactionConflictError';
  constructor(message: string, cause?: unknown) {
    super('TRANSACTION_CONFLICT', message, {
      hint: 'The transaction rolled back completely; run the same call again. Inside your own transaction (a store on your client), only the call rolled back, to its savepoint: roll back your transaction and run it again, since at REPEATABLE READ or SERIALIZABLE only a new transaction can succeed.',
      retryable: true,
      cause,
    });
  }
}

export class CurrencyMismatchError extends OnehopError {
  override readonly name = 'CurrencyMismatchError';
  constructor(expected: string, given: string, hint?: string) {
    super('CURRENCY_MISMATCH', `The program's currency is ${expected}, but the event is in ${given}.`, {
      field: 'currency',
      hint: hint ?? `Send amounts in ${expected} minor units, or run a separate program per currency.`,
    });
  }
}

/** The same event id arrived again with a different payload. Nothing was written. */
export class IdempotencyConflictError extends OnehopError {
  override readonly name = 'IdempotencyConflictError';
  constructor(kind: string, eventId: string) {
    super('IDEMPOTENCY_CONFLICT', `A ${kind} event "${eventId}" was already recorded with a different payload.`, {
      field: 'eventId',
      hint: 'Event ids must be unique per event; a redelivery must carry the same payload.',
    });
  }
}

export class RefundExceedsPurchaseError extends OnehopError {
  override readonly name = 'RefundExceedsPurchaseError';
  constructor(purchaseEventId: string, remaining: number) {
    super('REFUND_EXCEEDS_PURCHASE', `Purchase "${purchaseEventId}" has only ${remaining} minor units left to refund.`, {
      field: 'amount',
      hint: 'Refunds and chargebacks of a purchase cannot add up to more than the purchase.',
    });
  }
}

export class CommissionNotFoundError extends OnehopError {
  override readonly name = 'CommissionNotFoundError';
  constructor(id: string) {
    super('COMMISSION_NOT_FOUND', `No commission "${id}" in this program.`, { field: 'commissionId', hint: 'Check the id.' });
  }
}

export class PayoutNotFoundError extends OnehopError {
  override readonly name = 'PayoutNotFoundError';
  constructor(id: string) {
    super('PAYOUT_NOT_FOUND', `No payout "${id}" in this program.`, { field: 'payoutId', hint: 'Check the id.' });
  }
}

/** A status change that the lifecycle does not allow from the current status. */
export class InvalidTransitionError extends OnehopError {
  override readonly name = 'InvalidTransitionError';
  constructor(entity: string, id: string, from: string, to: string) {
    super('INVALID_TRANSITION', `The ${entity} "${id}" is ${from}; it cannot become ${to}.`, {
      field: `${entity}Id`,
      hint: 'Reload it and check its status first.',
    });
  }
}

export class ReviewNotFoundError extends OnehopError {
  override readonly name = 'ReviewNotFoundError';
  constructor(id: string) {
    super('REVIEW_NOT_FOUND', `No review "${id}" in this program.`, { field: 'reviewId', hint: 'List the queue with listReviews() for current ids.' });
  }
}

export class ReferralNotFoundError extends OnehopError {
  override readonly name = 'ReferralNotFoundError';
  constructor(id: string) {
    super('REFERRAL_NOT_FOUND', `No referral "${id}" in this program.`, { field: 'referralId', hint: 'Look the referral up with getReferralByReferee().' });
  }
}

/** An IP address, device id or payment fingerprint was passed, but the program has no key to hash it with. */
export class HashKeyMissingError extends OnehopError {
  override readonly name = 'HashKeyMissingError';
  constructor(field: string) {
    super('HASH_KEY_MISSING', `"${field}" is stored only as a keyed hash, and the program has no privacy.hashKey.`, {
      field,
      hint: 'Set privacy.hashKey (a secret of at least 32 characters, kept out of the database) in the program configuration, or leave the field out.',
    });
  }
}

/** A signed link was asked for, but the program has no `links.signing.secret`. */
export class LinkSigningNotConfiguredError extends OnehopError {
  override readonly name = 'LinkSigningNotConfiguredError';
  constructor() {
    super('LINK_SIGNING_NOT_CONFIGURED', 'The program has no links.signing configuration, so it cannot sign or check links.', {
      field: 'program.links.signing',
      hint: 'Set links.signing.secret (at least 32 characters, kept out of the database) in the program configuration.',
    });
  }
}

export class InvitationNotFoundError extends OnehopError {
  override readonly name = 'InvitationNotFoundError';
  constructor(field: 'invitationId' | 'token', value: string) {
    super('INVITATION_NOT_FOUND', field === 'token' ? 'No invitation has this token.' : `No invitation "${value}" in this program.`, {
      field,
      hint: field === 'token' ? 'Check the link the invitee followed; an invitation resent later has a new token.' : 'List them with listInvitations().',
    });
  }
}

/** An invitation was resent too often, or too soon after the last send. */
export class InvitationResendLimitedError extends OnehopError {
  override readonly name = 'InvitationResendLimitedError';
  /** When a resend will be accepted again; null when the invitation has been sent the maximum number of times. */
  readonly retryAt: Date | null;
  constructor(invitationId: string, retryAt: Date | null, maxSends: number) {
    super(
      'INVITATION_RESEND_LIMITED',
      retryAt === null
        ? `The invitation "${invitationId}" has been sent ${maxSends} times, the program's maximum.`
        : `The invitation "${invitationId}" was sent recently; it can be resent from ${retryAt.toISOString()}.`,
      {
        field: 'invitationId',
        hint: retryAt === null ? 'Cancel it and invite again later, or raise invitations.maxSends.' : 'Try again after that time.',
        retryable: retryAt !== null,
      },
    );
    this.retryAt = retryAt;
  }
}

/** An inviter created the program's maximum of new invitations within its window (`invitations.inviteLimit`). */
export class InvitationRateLimitedError extends OnehopError {
  override readonly name = 'InvitationRateLimitedError';
  /** When a new invitation will be accepted again. */
  readonly retryAt: Date;
  constructor(inviterId: string, max: number, windowHours: number, retryAt: Date) {
    super(
      'INVITATION_RATE_LIMITED',
      `"${inviterId}" has sent ${max} new invitations within ${windowHours} hours, the program's maximum; a new one is accepted from ${retryAt.toISOString()}.`,
      {
        field: 'inviterId',
        hint: 'Try again after that time, or raise invitations.inviteLimit.',
        retryable: true,
      },
    );
    this.retryAt = retryAt;
  }
}

export class EventNotFoundError extends OnehopError {
  override readonly name = 'EventNotFoundError';
  constructor(id: string) {
    super('EVENT_NOT_FOUND', `No outbox event "${id}" in this program.`, {
      field: 'eventId',
      hint: "List dead letters with listEvents({ status: 'dead' }) for current ids.",
    });
  }
}

export class PayoutAlreadyOpenError extends OnehopError {
  override readonly name = 'PayoutAlreadyOpenError';
  constructor(userId: string, payoutId: string) {
    super('PAYOUT_ALREADY_OPEN', `User "${userId}" already has an open payout request "${payoutId}".`, {
      field: 'userId',
      hint: 'Wait until it is paid or rejected.',
    });
  }
}

export class PayoutBelowMinimumError extends OnehopError {
  override readonly name = 'PayoutBelowMinimumError';
  constructor(amount: number, minimum: number) {
    super('PAYOUT_BELOW_MINIMUM', `A payout of ${amount} is below the program's minimum of ${minimum} minor units.`, {
      field: 'amount',
      hint: 'Request at least the minimum once enough is withdrawable.',
    });
  }
}

/**
 * A payout asks for more than is withdrawable, or for the whole balance when
 * nothing is withdrawable (`amount` null). `negativeCarry` is what clawbacks
 * took beyond the balance; it is deducted from future earnings first.
 */
export class InsufficientBalanceError extends OnehopError {
  override readonly name = 'InsufficientBalanceError';
  readonly withdrawable: number;
  readonly negativeCarry: number;
  constructor(amount: number | null, withdrawable: number, negativeCarry = 0) {
    const carried = negativeCarry > 0 ? `${negativeCarry} minor units are carried (clawbacks beyond the balance), deducted from future earnings first` : '';
    super(
      'INSUFFICIENT_BALANCE',
      amount === null
        ? carried === ''
          ? 'Nothing is withdrawable.'
          : `Nothing is withdrawable: ${carried}.`
        : `A payout of ${amount} exceeds the withdrawable balance of ${withdrawable} minor units${carried === '' ? '' : `; ${carried}`}.`,
      amount === null
        ? { field: 'userId', hint: 'Request a payout once approved commissions make a balance withdrawable.' }
        : { field: 'amount', hint: 'Request at most the withdrawable balance.' },
    );
    this.withdrawable = withdrawable;
    this.negativeCarry = negativeCarry;
  }
}

export class PayoutMethodMissingError extends OnehopError {
  override readonly name = 'PayoutMethodMissingError';
  constructor(userId: string) {
    super('PAYOUT_METHOD_MISSING', `User "${userId}" has no payout method.`, {
      field: 'userId',
      hint: 'Call setPayoutMethod first.',
    });
  }
}

/**
 * The store lost its database connection in the middle of a call (a restart,
 * a terminated backend, a network failure). The transaction did not commit,
 * or, if the connection dropped during COMMIT, its outcome is unknown. The
 * engine does not retry it on its own: run the same call again. Purchases,
 * refunds and attributions are idempotent, so a retry completes exactly once.
 */
export class ConnectionLostError extends OnehopError {
  override readonly name = 'ConnectionLostError';
  constructor(message: string, cause?: unknown) {
    super('STORE_CONNECTION_LOST', message, {
      hint: 'Run the same call again once the database is reachable; idempotent calls complete exactly once. Inside your own transaction (a store on your client), that transaction is lost with the connection: run it again on a new client.',
      retryable: true,
      cause,
    });
  }
}

/**
 * The database refused a write that breaks one of its own invariants (a CHECK,
 * a foreign key, the append-only ledger). The engine never issues such a
 * write; seeing this means data was changed outside onehop or a bug. Nothing
 * of the call was written.
 */
export class IntegrityViolationError extends OnehopError {
  override readonly name = 'IntegrityViolationError';
  readonly constraint: string;
  constructor(constraint: string, message: string, cause?: unknown) {
    super('STORE_INTEGRITY_VIOLATION', `The database rejected a write: ${message} (constraint "${constraint}").`, {
      hint: 'Nothing was written. Check for rows changed outside onehop, and report it if it happens through the onehop API.',
      cause,
    });
    this.constraint = constraint;
  }
}

/**
 * The database schema is not the one this version of the store expects: it
 * was never migrated, an applied migration was edited, or the database was
 * migrated by a newer version. Nothing was written.
 */
export class SchemaMismatchError extends OnehopError {
  override readonly name = 'SchemaMismatchError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('STORE_SCHEMA_MISMATCH', message, { hint, cause });
  }
}

/**
 * The store cannot work with the database as it is set up: the credentials
 * are refused, the database or role does not exist, the role lacks a
 * privilege, or a connection pooler does not keep what the store relies on.
 * Running the same call again cannot succeed until the setup changes, so it
 * is never retryable; the hint says what to check. Nothing was written.
 */
export class StoreConfigurationError extends OnehopError {
  override readonly name = 'StoreConfigurationError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('STORE_MISCONFIGURED', message, { hint, retryable: false, cause });
  }
}

/**
 * The database ended the call because one of its time limits ran out: a row
 * lock was not granted within `lock_timeout`, a statement ran past
 * `statement_timeout` (or was cancelled), or the transaction stayed idle past
 * `idle_in_transaction_session_timeout`. The transaction rolled back
 * completely, so nothing was written and running the call again is safe: it
 * is retryable.
 *
 * The engine does not retry it on its own, unlike a `TransactionConflictError`.
 * A time limit is the operator's bound on how long one call may wait; running
 * the call again inside the engine would multiply that wait by the number of
 * retries and hold the caller past it. A lock held that long belongs to a long
 * transaction (a migration, a batch job, a forgotten session) that an
 * immediate rerun would wait on again. The caller knows its own deadline and
 * backoff, so the retry is the caller's.
 */
export class StoreTimeoutError extends OnehopError {
  override readonly name = 'StoreTimeoutError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('STORE_TIMEOUT', message, { hint, retryable: true, cause });
  }
}

/**
 * The database refused the call with an error onehop has no name of its own
 * for (its SQLSTATE is in `sqlState`, the database's error in `cause`): a
 * trigger or setting of your own on onehop's tables, a full disk, a value the
 * database cannot store. The call's transaction rolled back, so nothing was
 * written. Running it again unchanged is not expected to help.
 */
export class StoreDatabaseError extends OnehopError {
  override readonly name = 'StoreDatabaseError';
  readonly sqlState: string;
  constructor(sqlState: string, message: string, cause?: unknown) {
    super('STORE_DATABASE_ERROR', `The database refused the call (SQLSTATE ${sqlState}): ${message}.`, {
      hint: "Nothing was written. Check the database server's log and any trigger, rule or setting of your own on onehop's tables; report it if it happens on a database only onehop uses.",
      cause,
    });
    this.sqlState = sqlState;
  }
}

/**
 * Thrown by a store when an insert breaks one of the unique constraints the
 * store contract names (see `UNIQUE_CONSTRAINTS`). The engine turns it into a
 * domain answer; callers of the engine never see it.
 */
export class UniqueViolationError extends OnehopError {
  override readonly name = 'UniqueViolationError';
  readonly constraint: string;
  constructor(constraint: string, cause?: unknown) {
    super('STORE_UNIQUE_VIOLATION', `Unique constraint "${constraint}" was violated.`, { cause });
    this.constraint = constraint;
  }
}

/**
 * Whether `error` is an onehop error, also across two copies of this package
 * (where `instanceof` fails): onehop errors carry one of the stable codes.
 */
export function isOnehopError(error: unknown): error is OnehopError {
  if (error instanceof OnehopError) return true;
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * The program's `authorize` hook refused an admin action. Nothing of the
 * action was written; the refused attempt is one line of the audit trail
 * (action `authorization.refused` on the subject).
 */
export class ForbiddenError extends OnehopError {
  override readonly name = 'ForbiddenError';
  /** The admin action that was refused, e.g. `payout.approve`. */
  readonly action: string;
  constructor(adminId: string, action: string, subject: { type: string; id: string }) {
    super('FORBIDDEN', `Admin "${adminId}" may not take the action ${action} on ${subject.type} "${subject.id}".`, {
      field: 'adminId',
      hint: "Nothing was changed. The program's authorize hook decides who may take which admin action: call as an admin it allows, or change the hook.",
    });
    this.action = action;
  }
}

/**
 * A call to a payment provider's API (Stripe, Paddle) failed: the provider
 * refused it or could not be reached. `provider` names it, `cause` holds
 * the provider library's error. Retryable when the provider may answer next
 * time (network, rate limits, its own errors).
 */
export class BillingProviderError extends OnehopError {
  override readonly name = 'BillingProviderError';
  readonly provider: string;
  constructor(provider: string, action: string, options: { retryable: boolean; cause: unknown; field?: string }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super('BILLING_PROVIDER_ERROR', `${provider} refused or did not answer: ${action} (${reason}).`, {
      ...(options.field !== undefined ? { field: options.field } : {}),
      hint: options.retryable
        ? `Nothing onehop holds was changed; try again later (a webhook answered with an error is delivered again by ${provider}).`
        : `Nothing onehop holds was changed. Check the API key and the request ${provider} refused.`,
      retryable: options.retryable,
      cause: options.cause,
    });
    this.provider = provider;
  }
}

/**
 * A payout provider was asked to send a payout and its answer is unknown: the
 * request timed out or the connection broke after it was sent, or the
 * provider answered with a server error it documents as indeterminate. The
 * provider may have accepted it. Thrown by a `PayoutProvider`'s `send`, it
 * keeps the payout processing; the next attempt sends the same idempotency
 * key, so the provider pays it at most once.
 */
export class PayoutOutcomeUnknownError extends OnehopError {
  override readonly name = 'PayoutOutcomeUnknownError';
  /** The provider's name, e.g. `paypal`. */
  readonly provider: string;
  constructor(provider: string, payoutId: string, what: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super('PAYOUT_OUTCOME_UNKNOWN', `The ${provider} payout provider did not say whether it accepted payout "${payoutId}": ${what}.`, {
      field: 'payoutId',
      retryable: options.retryable ?? true,
      hint:
        options.retryable === false
          ? "Leave the payout processing and compare it with the provider's records before settling it; do not send it under a new idempotency key."
          : 'Leave the payout processing and send it again with the same idempotency key: the provider pays it at most once.',
      cause: options.cause,
    });
    this.provider = provider;
  }
}

/**
 * The program blocks payouts until a payee's tax profile is verified
 * (`payouts.taxForms.enforcement: 'block'`), and this payee's is not.
 * Nothing was written; the money stays withdrawable.
 */
export class TaxProfileRequiredError extends OnehopError {
  override readonly name = 'TaxProfileRequiredError';
  constructor(userId: string, status: string) {
    super('TAX_PROFILE_REQUIRED', `User "${userId}" cannot be paid before their tax profile is verified (it is ${status}).`, {
      field: 'userId',
      hint: 'Collect the tax form, then record it with setTaxProfile({ status: "verified", … }).',
    });
  }
}

/** A payout run id was used before with another cut-off, minimum or currency. Nothing was written. */
export class PayoutRunConflictError extends OnehopError {
  override readonly name = 'PayoutRunConflictError';
  constructor(runId: string) {
    super('PAYOUT_RUN_CONFLICT', `Payout run "${runId}" was started before with other parameters.`, {
      field: 'runId',
      hint: 'Pass the same before, minimum and currency to continue or read that run, or use a new run id for a new run.',
    });
  }
}

/**
 * The exchange rate provider (`createOnehop({ exchangeRates })`) threw, or
 * answered something that is not a rate, for an event in a foreign currency.
 * It is asked before anything is read or written: nothing was recorded, and
 * the same call may be repeated once the provider answers.
 */
export class ExchangeRateUnavailableError extends OnehopError {
  override readonly name = 'ExchangeRateUnavailableError';
  constructor(from: string, to: string, reason: string, options: { cause?: unknown } = {}) {
    super('EXCHANGE_RATE_UNAVAILABLE', `No exchange rate from ${from} to ${to}: ${reason}`, {
      field: 'currency',
      hint: 'Check the exchange rate provider passed to createOnehop({ exchangeRates }): its rate method must answer { rate: "1.0845", at: Date }. Then send the event again.',
      ...options,
    });
  }
}

/** A participant was to be moved to a group the program's configuration does not name. Nothing was written. */
export class UnknownGroupError extends OnehopError {
  override readonly name = 'UnknownGroupError';
  constructor(groupId: string, known: readonly string[]) {
    super('UNKNOWN_GROUP', `The program has no group "${groupId}" (its groups: ${known.join(', ')}).`, {
      field: 'groupId',
      hint: 'Name a group of the program configuration\'s `groups`, or "default"; add the group to the configuration first.',
    });
  }
}
