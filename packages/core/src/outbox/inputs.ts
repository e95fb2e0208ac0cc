/*
 * The input schemas and types of the dispatcher's options and of the outbox reads and admin calls.
 */
import { z } from 'zod';
import { cursorPageInputSchema, limitSchema, recordIdSchema, userIdSchema } from '../engine/fields';
import type { EventHandler } from './dispatcher';
import type { OnehopEvent } from './events';
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

export type DispatcherOptions = z.input<typeof dispatcherOptionsSchema>;

export const listEventsInputSchema = cursorPageInputSchema
  .unwrap()
  .extend({ status: z.enum(['pending', 'delivered', 'dead']).default('dead') })
  .strict()
  .prefault({});
export type ListEventsInput = z.input<typeof listEventsInputSchema>;

export const retryEventInputSchema = z.object({ eventId: recordIdSchema, adminId: userIdSchema }).strict();
export type RetryEventInput = z.input<typeof retryEventInputSchema>;

export const purgeEventsInputSchema = z
  .object({
    /** Delete events delivered before this time. */
    deliveredBefore: z.coerce.date({ error: 'must be a date' }),
    /** At most this many per call. */
    limit: limitSchema(10_000, 100_000),
  })
  .strict();
export type PurgeEventsInput = z.input<typeof purgeEventsInputSchema>;
