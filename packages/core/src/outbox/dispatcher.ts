import { z } from 'zod';
import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse } from '../engine/context';
import { newId } from '../engine/ids';
import { cursorPageInputSchema, limitSchema, recordIdSchema, userIdSchema } from '../engine/inputs';
import { EventNotFoundError, InvalidTransitionError } from '../errors/errors';
import type { InvitationRecord, OutboxRecord } from '../store/records';
import { DOMAIN_EVENT_TYPES, type DomainEventType, type OnehopEvent, toEvent } from './events';

/** What a handler gets besides the event. */
export interface DeliveryContext {
  /** 1 on the first delivery of this event, 2 on its first retry, and so on. */
  attempt: number;
  /** Aborted when this dispatcher lost the event's lease (another may deliver it now): stop work you can stop. */
  signal: AbortSignal;
}

/** Sends an event somewhere (an e-mail, an in-app alert, a webhook). Throw to have it retried. */
export type EventHandler = (event: OnehopEvent, context: DeliveryContext) => unknown;

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

/** What one `runOnce` did. */
export interface DispatchReport {
  claimed: number;
  delivered: number;
  /** Failed and scheduled for a retry. */
  failed: number;
  /** Failed for the last time: now dead letters. */
  dead: number;
  /** Not finished here because the lease was lost or an earlier event of the subject failed: claimed again later. */
  released: number;
}

const DEFAULT_BACKOFF = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);
const MAX_ERROR_LENGTH = 2000;

/**
 * Delivers the outbox's events to handlers, at least once, per subject in
 * commit order (see `OutboxRecord`). Any number of dispatchers may run at once, in one process or many:
 * each claims events under a lease, so no event is delivered by two of them
 * at the same time, and a dispatcher that dies loses nothing (its lease runs
 * out and another takes over). Create it with `onehop.createDispatcher`.
 */
export class Dispatcher {
  private readonly options: z.output<typeof dispatcherOptionsSchema>;
  private readonly backoff: (attempt: number) => number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly ctx: EngineContext,
    options: DispatcherOptions,
  ) {
    this.options = parse(dispatcherOptionsSchema, options);
    this.backoff = this.options.backoff ?? DEFAULT_BACKOFF;
  }

  private handlersOf(type: string): EventHandler[] {
    const list = (h: EventHandler | EventHandler[] | undefined) => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
    return [...list(this.options.handlers[type as DomainEventType]), ...list(this.options.handlers['*'])];
  }

  /** Claims one batch of due events and delivers it. */
  async runOnce(): Promise<DispatchReport> {
    const { ctx } = this;
    const token = newId('lease');
    const leaseUntil = () => new Date(ctx.clock.now().getTime() + this.options.leaseMs);
    const claimed = await ctx.run((work) =>
      work.tx.outbox.claim(ctx.scope, {
        now: ctx.clock.now(),
        subjects: this.options.batchSize,
        perSubject: this.options.perSubject,
        leaseToken: token,
        leaseUntil: leaseUntil(),
      }),
    );
    const report: DispatchReport = { claimed: claimed.length, delivered: 0, failed: 0, dead: 0, released: 0 };
    if (claimed.length === 0) return report;
    const invitations = await this.invitationsOf(claimed);

    const open = new Set(claimed.map((e) => e.id));
    const controllers = new Map(claimed.map((e) => [e.id, new AbortController()]));
    // Keep the leases while handlers run; an event whose lease is gone is aborted.
    const renew = setInterval(
      () => {
        void ctx
          .run((work) => work.tx.outbox.renew(ctx.scope, [...open], token, leaseUntil()))
          .then((kept) => {
            const still = new Set(kept);
            for (const id of open) if (!still.has(id)) controllers.get(id)?.abort(new Error('lease lost'));
          })
          .catch(() => undefined);
      },
      Math.max(250, Math.floor(this.options.leaseMs / 3)),
    );
    try {
      const bySubject = new Map<string, OutboxRecord[]>();
      for (const e of claimed) {
        const list = bySubject.get(e.subjectId);
        if (list) list.push(e);
        else bySubject.set(e.subjectId, [e]);
      }
      await Promise.all(
        [...bySubject.values()].map(async (events) => {
          for (let i = 0; i < events.length; i++) {
            const row = events[i]!;
            const outcome = await this.deliver(row, invitations.get(row.entityId) ?? null, token, controllers.get(row.id)!.signal);
            open.delete(row.id);
            report[outcome] += 1;
            if (outcome !== 'failed' && outcome !== 'released') continue;
            // The subject's later events wait until this one is delivered or dead: hand them back, in one write.
            const rest = events.slice(i + 1).map((e) => e.id);
            if (rest.length > 0) await ctx.run((work) => work.tx.outbox.release(ctx.scope, rest, token));
            for (const id of rest) open.delete(id);
            report.released += rest.length;
            return;
          }
        }),
      );
    } finally {
      clearInterval(renew);
    }
    return report;
  }

  /**
   * The current rows of the invitations the claimed events name, read at
   * delivery: the outbox keeps no address, and an erased one is gone.
   */
  private async invitationsOf(claimed: OutboxRecord[]): Promise<Map<string, InvitationRecord>> {
    const ids = [...new Set(claimed.filter((e) => e.entityType === 'invitation').map((e) => e.entityId))];
    const found = new Map<string, InvitationRecord>();
    if (ids.length === 0) return found;
    const { ctx } = this;
    await ctx.run(async (work) => {
      for (const id of ids) {
        const invitation = await work.tx.invitations.get(ctx.scope, id);
        if (invitation) found.set(id, invitation);
      }
    });
    return found;
  }

  private async deliver(
    row: OutboxRecord,
    invitation: InvitationRecord | null,
    token: string,
    signal: AbortSignal,
  ): Promise<'delivered' | 'failed' | 'dead' | 'released'> {
    const { ctx } = this;
    const event = toEvent(row, invitation);
    const attempt = row.attempts + 1;
    let failure: unknown = null;
    try {
      for (const handler of this.handlersOf(row.type)) await handler(event, { attempt, signal });
    } catch (error) {
      failure = error;
    }
    if (signal.aborted) return 'released';
    const now = ctx.clock.now();
    if (failure === null) {
      const ok = await ctx.run((work) =>
        work.tx.outbox.updateLeased(ctx.scope, row.id, token, {
          status: 'delivered',
          attempts: attempt,
          deliveredAt: now,
          leaseToken: null,
          leaseUntil: null,
          lastError: null,
        }),
      );
      return ok ? 'delivered' : 'released';
    }
    const message = (failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure)).slice(0, MAX_ERROR_LENGTH);
    const dead = attempt >= this.options.maxAttempts;
    const ok = await ctx.run(async (work) => {
      const kept = await work.tx.outbox.updateLeased(ctx.scope, row.id, token, {
        status: dead ? 'dead' : 'pending',
        attempts: attempt,
        nextAttemptAt: dead ? now : new Date(now.getTime() + Math.max(0, this.backoff(attempt))),
        leaseToken: null,
        leaseUntil: null,
        lastError: message,
      });
      if (kept && dead) {
        // The handler's message stays on the event (`lastError`), which erasure can clear: it may quote a person's data.
        await work.audit(
          'event',
          row.id,
          'event.dead',
          { type: 'system', id: null },
          { after: 'dead', reason: 'delivery failed', data: { type: row.type, attempts: attempt } },
        );
      }
      return kept;
    });
    this.options.onError?.(failure, event);
    if (!ok) return 'released';
    return dead ? 'dead' : 'failed';
  }

  /**
   * Runs `runOnce` in a loop until `stop()`: straight on while there is work,
   * otherwise every `intervalMs`. A failing claim (the database is away) is
   * retried at the same pace.
   */
  start({ intervalMs = 1000 }: { intervalMs?: number } = {}): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        let claimed = 0;
        try {
          claimed = (await this.runOnce()).claimed;
        } catch (error) {
          this.options.onError?.(error, null);
        }
        if (claimed === 0 && !this.stopping) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, intervalMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  /** Stops the loop after the batch in hand is delivered. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }
}

const listEventsInputSchema = cursorPageInputSchema
  .unwrap()
  .extend({ status: z.enum(['pending', 'delivered', 'dead']).default('dead') })
  .strict()
  .prefault({});
export type ListEventsInput = z.input<typeof listEventsInputSchema>;

/** Outbox events with one status (dead letters by default), in the order written. */
export async function listEvents(ctx: EngineContext, input: ListEventsInput = {}): Promise<OutboxRecord[]> {
  const data = parse(listEventsInputSchema, input);
  return ctx.read((work) => work.tx.outbox.list(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

export const retryEventInputSchema = z.object({ eventId: recordIdSchema, adminId: userIdSchema }).strict();
export type RetryEventInput = z.input<typeof retryEventInputSchema>;

/** Admin: puts a dead letter back in the queue, due now, with a fresh count of attempts. */
export async function retryDeadLetter(ctx: EngineContext, input: RetryEventInput): Promise<OutboxRecord> {
  await authorizeAction(ctx, 'event.retry', retryEventInputSchema, input, (d) => ({ type: 'event', id: d.eventId }));
  const data = parse(retryEventInputSchema, input);
  return ctx.run(async (work) => {
    const row = await work.tx.outbox.get(ctx.scope, data.eventId);
    if (!row) throw new EventNotFoundError(data.eventId);
    if (row.status !== 'dead') throw new InvalidTransitionError('event', row.id, row.status, 'pending');
    const now = ctx.clock.now();
    const patch = { status: 'pending' as const, attempts: 0, nextAttemptAt: now, leaseToken: null, leaseUntil: null };
    await work.tx.outbox.update(ctx.scope, row.id, patch);
    await work.audit(
      'event',
      row.id,
      'event.retried',
      { type: 'admin', id: data.adminId },
      { before: 'dead', after: 'pending', data: { type: row.type, attempts: row.attempts } },
    );
    return { ...row, ...patch };
  });
}

const purgeEventsInputSchema = z
  .object({
    /** Delete events delivered before this time. */
    deliveredBefore: z.coerce.date({ error: 'must be a date' }),
    /** At most this many per call. */
    limit: limitSchema(10_000, 100_000),
  })
  .strict();
export type PurgeEventsInput = z.input<typeof purgeEventsInputSchema>;

/** Deletes delivered events older than a date (pending and dead ones are kept); returns how many. Run it on a schedule. */
export async function purgeDeliveredEvents(ctx: EngineContext, input: PurgeEventsInput): Promise<{ deleted: number }> {
  const data = parse(purgeEventsInputSchema, input);
  return ctx.run(async (work) => ({ deleted: await work.tx.outbox.purgeDelivered(ctx.scope, data.deliveredBefore, data.limit) }));
}
