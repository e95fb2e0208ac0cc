import type { Store, TransactionOptions } from '@onehop/core';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';

// The engine is loaded through the package entry, as a user loads it, beside the memory store.
const { createOnehop, TransactionConflictError } = await import('@onehop/core');
const { createMemoryStore } = await import('@onehop/memory');

const program = { id: 'prog', currency: 'USD' } as const;

function recordingTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('onehop-test') };
}

/** The options the engine gives each of `store`'s transactions, in order. */
function optionsGiven(store: Store): (TransactionOptions | undefined)[] {
  const given: (TransactionOptions | undefined)[] = [];
  const transaction: Store['transaction'] = store.transaction.bind(store);
  store.transaction = (fn, options) => {
    given.push(options);
    return transaction(fn, options);
  };
  return given;
}

describe('OpenTelemetry spans', () => {
  it('records a span per public call with the program, the mode and the outcome', async () => {
    const { exporter, tracer } = recordingTracer();
    const onehop = createOnehop({ store: createMemoryStore(), program, telemetry: { tracer } });
    await onehop.enroll({ userId: 'alice' });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['onehop.enroll']);
    expect(spans[0]!.attributes).toEqual({ 'onehop.program_id': 'prog', 'onehop.mode': 'mock', 'onehop.outcome': 'ok' });
    expect(spans[0]!.status.code).toBe(1);
  });

  it('records the error code of a failing call, also one refused before it reaches the store', async () => {
    const { exporter, tracer } = recordingTracer();
    const onehop = createOnehop({ store: createMemoryStore(), program, telemetry: { tracer } });
    await expect(onehop.enroll({ userId: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(onehop.suspendParticipant({ userId: 'nobody', adminId: 'admin', reason: 'abuse' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
    expect(onehop.parseLink('https://example.com/pricing')).toBeNull();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.attributes['onehop.outcome'], s.status.code])).toEqual([
      ['onehop.enroll', 'VALIDATION_FAILED', 2],
      ['onehop.suspendParticipant', 'PARTICIPANT_NOT_FOUND', 2],
      ['onehop.parseLink', 'ok', 1],
    ]);
  });

  it('without a tracer, nothing reaches a registered OpenTelemetry provider and the store is given no statement tracer', async () => {
    const { exporter, tracer } = recordingTracer();
    trace.setGlobalTracerProvider({ getTracer: () => tracer });
    try {
      const store = createMemoryStore();
      const given = optionsGiven(store);
      const onehop = createOnehop({ store, program });
      await onehop.enroll({ userId: 'alice' });
      await onehop.commissionHistory({ userId: 'alice' });
      expect(exporter.getFinishedSpans()).toEqual([]);
      // A transaction is asked for exactly as before telemetry existed: the stores' hot path is unchanged.
      expect(given).toEqual([undefined, { staleReadOk: true }]);
      expect(Object.hasOwn(onehop, 'enroll')).toBe(false);
    } finally {
      trace.disable();
    }
  });

  it('with a tracer, the store is given a statement tracer that records a child span per statement', async () => {
    const { exporter, tracer } = recordingTracer();
    const store = createMemoryStore();
    const given = optionsGiven(store);
    const onehop = createOnehop({ store, program, telemetry: { tracer } });
    await onehop.enroll({ userId: 'alice' });
    await onehop.commissionHistory({ userId: 'alice' });
    expect(given.map((options) => options?.staleReadOk)).toEqual([undefined, true]);
    // What a store that sends SQL does with it (the memory store sends none).
    const traceStatement = given[0]!.traceStatement!;
    expect(await traceStatement('SELECT 1 FROM t WHERE id = $1', async () => 'rows')).toBe('rows');
    await expect(traceStatement('  insert INTO t VALUES ($1)', () => Promise.reject(new TransactionConflictError('lost')))).rejects.toThrow('lost');
    const statements = exporter.getFinishedSpans().filter((s) => s.name === 'onehop.statement');
    expect(statements.map((s) => [s.attributes, s.status.code])).toEqual([
      [
        { 'onehop.program_id': 'prog', 'onehop.mode': 'mock', 'onehop.outcome': 'ok', 'db.operation.name': 'SELECT', 'db.query.text': 'SELECT 1 FROM t WHERE id = $1' },
        1,
      ],
      [
        {
          'onehop.program_id': 'prog',
          'onehop.mode': 'mock',
          'onehop.outcome': 'TRANSACTION_CONFLICT',
          'db.operation.name': 'INSERT',
          'db.query.text': '  insert INTO t VALUES ($1)',
        },
        2,
      ],
    ]);
  });

  it('works with a tracer that has only startSpan', async () => {
    const { exporter, tracer } = recordingTracer();
    const onehop = createOnehop({ store: createMemoryStore(), program, telemetry: { tracer: { startSpan: (name, options) => tracer.startSpan(name, options) } } });
    await onehop.enroll({ userId: 'alice' });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['onehop.outcome']])).toEqual([['onehop.enroll', 'ok']]);
  });

  it('refuses a tracer or a logger of the wrong shape', () => {
    const store = createMemoryStore();
    // @ts-expect-error: not a tracer
    expect(() => createOnehop({ store, program, telemetry: { tracer: {} } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'telemetry.tracer.startSpan' }),
    );
    // @ts-expect-error: startActiveSpan is not a function
    expect(() => createOnehop({ store, program, telemetry: { tracer: { startSpan: () => null, startActiveSpan: 1 } } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'telemetry.tracer.startActiveSpan' }),
    );
    // @ts-expect-error: not a logger
    expect(() => createOnehop({ store, program, logger: { info: 'yes' } })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'logger.info' }));
  });
});

describe('logger hook', () => {
  it('reports a transaction retried after a conflict, with no personal data', async () => {
    const store = createMemoryStore();
    // The first transaction loses a race, as a serialisation failure of the database would make it.
    let conflicts = 1;
    const transaction = store.transaction.bind(store);
    store.transaction = ((...args: Parameters<typeof transaction>) =>
      conflicts-- > 0 ? Promise.reject(new TransactionConflictError('serialization failure')) : transaction(...args)) as typeof transaction;
    const lines: [string, string, Record<string, unknown>][] = [];
    const logger = {
      debug: (message: string, fields: Record<string, unknown>) => lines.push(['debug', message, fields]),
      info: (message: string, fields: Record<string, unknown>) => lines.push(['info', message, fields]),
    };
    const onehop = createOnehop({ store, program, logger });
    await onehop.enroll({ userId: 'alice', email: 'alice@example.com' });
    expect(lines).toEqual([['debug', 'onehop: transaction retried', { programId: 'prog', reason: 'TRANSACTION_CONFLICT', attempt: 1, maxRetries: 5 }]]);
    expect(JSON.stringify(lines)).not.toContain('example.com');
  });

  it('reports a fraud rule decision by rule and reason, without the addresses it looked at', async () => {
    const lines: [string, Record<string, unknown>][] = [];
    const onehop = createOnehop({ store: createMemoryStore(), program, logger: { info: (message, fields) => lines.push([message, fields]) } });
    const { participant } = await onehop.enroll({ userId: 'alice', email: 'alice@example.com' });
    const result = await onehop.attribute({ refereeId: 'bob', code: participant.code, email: 'alice@example.com' });
    expect(result.ok).toBe(false);
    expect(lines).toEqual([
      ['onehop: fraud rule decided', expect.objectContaining({ programId: 'prog', referrerId: 'alice', stage: 'attribution', action: 'reject', rule: 'self_referral' })],
    ]);
    expect(JSON.stringify(lines)).not.toContain('example.com');
  });

  it('reports a failed delivery and a dead letter by event id and type, without the handler message', async () => {
    const lines: [string, string, Record<string, unknown>][] = [];
    const logger = {
      warn: (message: string, fields: Record<string, unknown>) => lines.push(['warn', message, fields]),
      error: (message: string, fields: Record<string, unknown>) => lines.push(['error', message, fields]),
    };
    const onehop = createOnehop({ store: createMemoryStore(), program, logger });
    const { participant } = await onehop.enroll({ userId: 'alice', email: 'alice@example.com' });
    await onehop.attribute({ refereeId: 'bob', code: participant.code, email: 'bob@example.com' });
    const dispatcher = onehop.createDispatcher({
      maxAttempts: 2,
      backoff: () => 0,
      handlers: {
        '*': () => {
          throw new Error('mail to alice@example.com bounced');
        },
      },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, dead: 1 });
    expect(lines.map(([level, , fields]) => [level, fields.programId, fields.attempt, fields.error])).toEqual([
      ['warn', 'prog', 1, 'Error'],
      ['error', 'prog', 2, 'Error'],
    ]);
    expect(lines[0]![2].eventId).toBe(lines[1]![2].eventId);
    expect(JSON.stringify(lines)).not.toContain('example.com');
  });
});

describe('without telemetry or logger', () => {
  it('makes no span and leaves the public methods plain calls on the prototype', async () => {
    const { exporter, tracer } = recordingTracer();
    let started = 0;
    const counting = {
      startSpan: (name: string) => {
        started++;
        return tracer.startSpan(name);
      },
    };
    const plain = createOnehop({ store: createMemoryStore(), program });
    await plain.enroll({ userId: 'alice' });
    expect(Object.hasOwn(plain, 'enroll')).toBe(false);
    expect(started).toBe(0);
    expect(exporter.getFinishedSpans()).toEqual([]);
    const traced = createOnehop({ store: createMemoryStore(), program, telemetry: { tracer: counting } });
    await traced.enroll({ userId: 'alice' });
    expect(started).toBe(1);
  });
});
