import type { Mode } from '../config/program';

/**
 * Every stored row is keyed by program id and mode first: many programs share
 * one database, and mock rows never mix with live ones.
 */
export interface Scope {
  programId: string;
  mode: Mode;
}

export const PARTICIPANT_STATUSES = ['active', 'suspended'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** An enrolled user: someone who can refer others. */
export interface ParticipantRecord extends Scope {
  /** The application's own user id. */
  userId: string;
  email: string | null;
  /** `normalizeEmail(email)`, for matching one person's addresses. */
  emailNormalized: string | null;
  /** The participant's current code, normalised. */
  code: string;
  status: ParticipantStatus;
  /** Version of the program terms the user accepted, if any. */
  termsVersion: string | null;
  enrolledAt: Date;
  updatedAt: Date;
}

export const CODE_STATUSES = ['active', 'retired'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

/**
 * A referral code. Codes are never deleted: a retired code keeps resolving to
 * its user and, being a row under the unique key, can never be given to anyone else.
 */
export interface CodeRecord extends Scope {
  /** Normalised code; unique per program and mode. */
  code: string;
  userId: string;
  status: CodeStatus;
  /** Chosen by a person rather than generated. */
  vanity: boolean;
  createdAt: Date;
  retiredAt: Date | null;
}

export const REFERRAL_STATUSES = ['pending', 'qualified', 'rejected'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** One referee attributed to one referrer. A referee has at most one, ever. */
export interface ReferralRecord extends Scope {
  id: string;
  referrerId: string;
  refereeId: string;
  /** The normalised code the referee came with (may be a retired one). */
  code: string;
  status: ReferralStatus;
  /** Why the status is what it is (e.g. the rejection reason). */
  statusReason: string | null;
  /** Channel the referee came from (e.g. `utm_source`), if known. */
  source: string | null;
  refereeEmailNormalized: string | null;
  clickedAt: Date | null;
  attributedAt: Date;
  qualifiedAt: Date | null;
  updatedAt: Date;
}

export const ACTOR_TYPES = ['system', 'admin', 'user'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who did something: the engine itself, an admin, or the user concerned. */
export interface Actor {
  type: ActorType;
  /** Admin's or user's id; null for the system. */
  id: string | null;
}

export const AUDIT_ENTITY_TYPES = ['participant', 'code', 'referral', 'attribution_attempt'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** One append-only line of the audit trail. */
export interface AuditRecord extends Scope {
  id: string;
  entityType: AuditEntityType;
  entityId: string;
  /** What happened, e.g. `participant.enrolled`, `code.retired`, `attribution.rejected`. */
  action: string;
  actor: Actor;
  /** Status before and after, where the event changes one. */
  before: string | null;
  after: string | null;
  reason: string | null;
  /** Id of the event that caused it (e.g. a purchase event id), if any. */
  sourceEvent: string | null;
  /** Further structured detail (JSON-serialisable). */
  data: Record<string, unknown> | null;
  at: Date;
}
