/*
 * Reading the outbox, retrying a dead letter, purging delivered events.
 */
import { authorizeAction } from '../authorization/authorization';
import { type EngineContext, parse } from '../engine/context';
import { EventNotFoundError, InvalidTransitionError } from '../errors/errors';
import type { OutboxRecord } from '../store/records';
import { type ListEventsInput, listEventsInputSchema, type PurgeEventsInput, purgeEventsInputSchema, type RetryEventInput, retryEventInputSchema } from './inputs';

/** Outbox events with one status (dead letters by default), in the order written. */
export async function listEvents(ctx: EngineContext, input: ListEventsInput = {}): Promise<OutboxRecord[]> {
  const data = parse(listEventsInputSchema, input);
  return ctx.read((work) => work.tx.outbox.list(ctx.scope, data.status, { limit: data.limit, cursor: data.cursor }));
}

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

/** Deletes delivered events older than a date (pending and dead ones are kept); returns how many. Run it on a schedule. */
export async function purgeDeliveredEvents(ctx: EngineContext, input: PurgeEventsInput): Promise<{ deleted: number }> {
  const data = parse(purgeEventsInputSchema, input);
  return ctx.run(async (work) => ({ deleted: await work.tx.outbox.purgeDelivered(ctx.scope, data.deliveredBefore, data.limit) }));
}
