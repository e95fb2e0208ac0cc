/**
 * The store's statements as OpenTelemetry spans, recorded by the SDK's
 * in-memory exporter with the async-hooks context manager a Node service
 * registers: each statement the store sends is one `onehop.statement` span,
 * a child of the call's span, on PGlite and on the real server. Store-only
 * behaviour: the memory store sends no statements.
 */
import type { PGlite } from '@electric-sql/pglite';
import { createManualClock, createOnehop, type ProgramConfigInput } from '@onehop/core';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PGliteLike, type PostgresStoreOptions } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, pgliteDatabase, poolAround, type ServerDatabase, serverDatabase } from './databases';

const program: ProgramConfigInput = {
  id: 'traced',
  currency: 'USD',
  mode: 'mock',
  commission: { rule: { type: 'percentage', rateBps: 1000, scope: { type: 'lifetime' } } },
};

/** Transaction control the store sends around the statements (not traced: a call's span covers it). */
const CONTROL = /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/;

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

function recordingTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('onehop-test') };
}

/**
 * The first insert of participant `carol` fails as a lost race
 * (serialisation failure) would; the engine runs the call again. A sequence,
 * unlike a row, is not rolled back with the failed transaction.
 */
async function failOnce(query: (text: string) => Promise<unknown>, schema: string): Promise<void> {
  await query(`CREATE SEQUENCE "${schema}".carol_inserts`);
  await query(`CREATE FUNCTION "${schema}".fail_first_carol() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.user_id = 'carol' AND nextval('"${schema}".carol_inserts') = 1 THEN
        RAISE EXCEPTION 'provoked serialisation failure' USING ERRCODE = 'serialization_failure';
      END IF;
      RETURN NEW;
    END $$`);
  await query(`CREATE TRIGGER fail_first_carol BEFORE INSERT ON "${schema}".participants FOR EACH ROW EXECUTE FUNCTION "${schema}".fail_first_carol()`);
}

interface Target {
  name: string;
  skip: string | false;
  /** A store on the target that records the text of every statement it sends (`sent`), with `failOnce` installed. */
  open(sent: string[]): Promise<{ options: PostgresStoreOptions; close(): Promise<void> }>;
}

/** PGlite, each statement of a transaction recorded as the store sends it. */
function recordingPGlite(db: PGlite, sent: string[]): PGliteLike {
  return {
    query: (text, values) => db.query(text, values),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (text, values) => {
            sent.push(text);
            return tx.query(text, values);
          },
        }),
      ),
  };
}

const TARGETS: Target[] = [
  {
    name: 'PGlite',
    skip: false,
    async open(sent) {
      const db = await pgliteDatabase();
      await failOnce((text) => db.exec(text), 'onehop');
      return { options: { pglite: recordingPGlite(db, sent) }, close: () => db.close() };
    },
  },
  {
    name: 'the real server',
    skip: DATABASE_URL ? false : NO_SERVER_REASON,
    async open(sent) {
      const db: ServerDatabase = await serverDatabase('telemetry', 4);
      await failOnce((text) => db.pool.query(text), db.schema);
      const pool = poolAround(db.pool, (text, send) => {
        sent.push(text);
        return send();
      });
      return { options: { pool, schema: db.schema }, close: () => db.dispose() };
    },
  },
];

const statementsOf = (spans: ReadableSpan[], call: ReadableSpan) =>
  spans.filter((s) => s.name === 'onehop.statement' && s.parentSpanContext?.spanId === call.spanContext().spanId);

describe.each(TARGETS)('store statements as spans on $name', (target) => {
  it.skipIf(target.skip)(`one onehop.statement span per statement sent, a child of the call's span${target.skip ? ` (${target.skip})` : ''}`, async () => {
    const sent: string[] = [];
    const { options, close } = await target.open(sent);
    try {
      const { exporter, tracer } = recordingTracer();
      const onehop = createOnehop({ store: createPostgresStore(options), program, clock: createManualClock('2026-03-01T12:00:00.000Z'), telemetry: { tracer } });
      const { participant } = await onehop.enroll({ userId: 'alice', email: 'alice@example.com' });
      await onehop.attribute({ refereeId: 'bob', code: participant.code });
      await onehop.recordPurchase({ eventId: 'pi_1', refereeId: 'bob', amount: 5000, currency: 'USD', occurredAt: new Date('2026-03-01T12:00:00Z') });

      const spans = exporter.getFinishedSpans();
      const calls = spans.filter((s) => s.name !== 'onehop.statement');
      expect(calls.map((s) => s.name)).toEqual(['onehop.enroll', 'onehop.attribute', 'onehop.recordPurchase']);
      // Every statement span belongs to one of the calls, and together they are every statement the store sent, in order.
      const statements = calls.flatMap((call) => statementsOf(spans, call));
      expect(statements).toHaveLength(spans.length - calls.length);
      expect(statements.map((s) => s.attributes['db.query.text'])).toEqual(sent.filter((text) => !CONTROL.test(text)));
      expect(statements.length).toBeGreaterThanOrEqual(3);
      for (const span of statements) {
        expect(span.attributes).toEqual({
          'onehop.program_id': 'traced',
          'onehop.mode': 'mock',
          'onehop.outcome': 'ok',
          'db.operation.name': expect.stringMatching(/^(SELECT|INSERT|UPDATE|DELETE|WITH)$/),
          'db.query.text': expect.any(String),
        });
        expect(span.status.code).toBe(1);
      }
      // Statements carry placeholders, never the values: the e-mail address is in no span.
      expect(spans.flatMap((s) => Object.values(s.attributes))).not.toContain('alice@example.com');
      expect(statements.some((s) => String(s.attributes['db.query.text']).includes('$1'))).toBe(true);
    } finally {
      await close();
    }
  });

  it.skipIf(target.skip)(`a failed statement's span has its error code; the call that ran again succeeds${target.skip ? ` (${target.skip})` : ''}`, async () => {
    const sent: string[] = [];
    const { options, close } = await target.open(sent);
    try {
      const { exporter, tracer } = recordingTracer();
      const onehop = createOnehop({ store: createPostgresStore(options), program, telemetry: { tracer } });
      await onehop.enroll({ userId: 'carol' });
      const spans = exporter.getFinishedSpans();
      const call = spans.find((s) => s.name === 'onehop.enroll')!;
      expect(call.attributes['onehop.outcome']).toBe('ok');
      const outcomes = statementsOf(spans, call).map((s) => [s.attributes['onehop.outcome'], s.status.code]);
      expect(outcomes.filter(([outcome]) => outcome !== 'ok')).toEqual([['TRANSACTION_CONFLICT', 2]]);
      // The failed attempt's statements, then the second attempt's, all under the one call.
      expect(outcomes.length).toBe(sent.filter((text) => !CONTROL.test(text)).length);
    } finally {
      await close();
    }
  });
});
