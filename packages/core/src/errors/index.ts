export {
  ERROR_CODES,
  isOnehopError,
  OnehopError,
  ValidationError,
  ParticipantNotFoundError,
  CodeNotFoundError,
  CodeTakenError,
  CodeReservedError,
  AlreadyEnrolledError,
  TermsNotAcceptedError,
  LiveModeRefusedError,
  CodeGenerationExhaustedError,
  TransactionConflictError,
  UniqueViolationError,
} from './errors';
export type { ErrorCode, OnehopErrorOptions, ValidationIssue } from './errors';
