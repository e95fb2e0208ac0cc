import type { z } from 'zod';
import { type EngineContext, parse } from '../engine/context';
import { newId } from '../engine/ids';
import type { InvitationRecord, OutboxRecord } from '../store/records';
import { type DomainEventType, type OnehopEvent, toEvent } from './events';
import { type DispatcherOptions, dispatcherOptionsSchema } from './inputs';

/** What a handler gets besides the event. */
export interface DeliveryContext {
  /** 1 on the first delivery of this event, 2 on its first retry, and so on. */
  attempt: number;
  /** Aborted when this dispatcher lost the event's lease (another may deliver it now): stop work you can stop. */
  signal: AbortSignal;
}

/** Sends an event somewhere (an e-mail, an in-app alert, a webhook). Throw to have it retried. */
export type EventHandler = (event: OnehopEvent, context: DeliveryContext) => unknown;

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
    // The handler's message is not logged: it may quote a person's data.
    const level = dead ? 'error' : 'warn';
    ctx.logger?.[level]?.(dead ? 'onehop: event delivery failed for the last time (dead letter)' : 'onehop: event delivery failed, retried later', {
      programId: ctx.scope.programId,
      eventId: row.id,
      type: row.type,
      attempt,
      error: failure instanceof Error ? failure.name : typeof failure,
    });
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
