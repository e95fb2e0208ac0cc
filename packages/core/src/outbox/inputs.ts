/*
 * The input schemas and types of the dispatcher's options and of the outbox reads and admin calls.
 */
import * as z from 'zod';
import { cursorPageInputSchema, limitSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import type { EventHandler } from './dispatcher';
import type { DomainEventType, OnehopEvent } from './events';
import { DOMAIN_EVENT_TYPES } from './events';

const handlerSchema = z.custom<EventHandler>((v) => typeof v === 'function', 'must be a function');

export const dispatcherOptionsSchema = z
  .object({
    /**
     * Handlers by event type; `*` receives every event. An event counts as
     * delivered when all its handlers returned; if one throws, the event is
     * retried and every handler runs again (delivery is at least once:
     * deduplicate on `event.id`).
     */
    handlers: z.partialRecord(z.enum([...DOMAIN_EVENT_TYPES, '*']), z.union([handlerSchema, z.array(handlerSchema)])),
    /** Subjects (participants) taken per claim; their events are delivered in parallel, each subject's in commit order. */
    batchSize: z.number().int().min(1).max(1000).default(50),
    /** Events per subject per claim (one when the subject's first event is being retried). */
    perSubject: z.number().int().min(1).max(100).default(20),
    /** How long a claim holds its events; renewed every third of it while handlers run. */
    leaseMs: z.number().int().min(1000).max(3_600_000).default(30_000),
    /** Attempts before an event becomes a dead letter. */
    maxAttempts: z.number().int().min(1).max(100).default(10),
    /** Wait before retry n (1-based), in milliseconds. Default: 5 s doubled per attempt, at most 1 hour. */
    backoff: z.custom<(attempt: number) => number>((v) => typeof v === 'function', 'must be a function').optional(),
    /** Called with a handler's error (after it is recorded), or with a failed claim's (`event` null). */
    onError: z.custom<(error: unknown, event: OnehopEvent | null) => void>((v) => typeof v === 'function', 'must be a function').optional(),
  })
  .strict();

/** What a `Dispatcher` delivers and how it retries, as `dispatcher()` takes it. */
export interface DispatcherOptions {
  /**
   * Handlers by event type; `*` receives every event. An event counts as
   * delivered when all its handlers returned; if one throws, the event is
   * retried and every handler runs again (delivery is at least once:
   * deduplicate on `event.id`).
   */
  handlers: Partial<Record<DomainEventType | '*', EventHandler | EventHandler[]>>;
  /** Subjects (participants) taken per claim, 1 to 1,000; default 50. Their events are delivered in parallel, each subject's in commit order. */
  batchSize?: number | undefined;
  /** Events per subject per claim, 1 to 100; default 20 (one when the subject's first event is being retried). */
  perSubject?: number | undefined;
  /** How long a claim holds its events, in milliseconds (1,000 to 3,600,000; default 30,000); renewed every third of it while handlers run. */
  leaseMs?: number | undefined;
  /** Attempts before an event becomes a dead letter, 1 to 100; default 10. */
  maxAttempts?: number | undefined;
  /** Wait before retry n (1-based), in milliseconds. Default: 5 s doubled per attempt, at most 1 hour. */
  backoff?: ((attempt: number) => number) | undefined;
  /** Called with a handler's error (after it is recorded), or with a failed claim's (`event` null). */
  onError?: ((error: unknown, event: OnehopEvent | null) => void) | undefined;
}

export const listEventsInputSchema = cursorPageInputSchema
  .unwrap()
  .extend({ status: z.enum(['pending', 'delivered', 'dead']).default('dead') })
  .strict()
  .prefault({});
/** A page of outbox events with one status, as `listEvents` takes it (all fields optional). */
export interface ListEventsInput {
  /** How many to return, 1 to 1,000; default 50. */
  limit?: number | undefined;
  /** The id of the last event of the previous page. */
  cursor?: string | undefined;
  /** Events with this status; default `dead` (the dead letters). */
  status?: 'pending' | 'delivered' | 'dead' | undefined;
}

export const retryEventInputSchema = z.object({ eventId: recordIdSchema, adminId: userIdSchema }).strict();
/** An admin putting a dead letter back in the queue, as `retryDeadLetter` takes it. */
export interface RetryEventInput {
  /** The outbox event's id. */
  eventId: string;
  /** Your id of the admin, written to the audit trail. */
  adminId: string;
}

export const purgeEventsInputSchema = z
  .object({
    /** Delete events delivered before this time. */
    deliveredBefore: z.coerce.date({ error: 'must be a date' }),
    /** At most this many per call. */
    limit: limitSchema(10_000, 100_000),
  })
  .strict();
/** Deleting delivered events older than a date, as `purgeDeliveredEvents` takes it. */
export interface PurgeEventsInput {
  /** Delete events delivered before this time (a `Date`, an ISO 8601 string or epoch milliseconds). */
  deliveredBefore: unknown;
  /** At most this many per call, 1 to 100,000; default 10,000. */
  limit?: number | undefined;
}
