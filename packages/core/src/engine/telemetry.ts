import * as z from 'zod';
import { isOnehopError } from '../errors/errors';
import type { Scope } from '../store/records';
import type { StatementTracer } from '../store/store';

/**
 * The part of an OpenTelemetry span the engine uses, typed by shape so that
 * core needs no `@opentelemetry/api` at run time: a span of the API's
 * `Tracer.startSpan` fits it.
 */
export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** `code` 1 is OK and 2 is ERROR, as `SpanStatusCode` of `@opentelemetry/api`. */
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The attributes of a span. */
type Attributes = Record<string, string | number | boolean>;

/** The part of an OpenTelemetry tracer the engine uses (`trace.getTracer('onehop')` fits it). */
export interface TelemetryTracer {
  startSpan(name: string, options?: { attributes?: Attributes }): TelemetrySpan;
  /**
   * Runs `fn` with a new span as the active one, so the spans started inside
   * it (the store's statements, a driver's instrumentation) are its children.
   * `@opentelemetry/api`'s tracer has it; a tracer without it gets spans from
   * `startSpan`, each a child of the span active where the engine was called.
   */
  startActiveSpan?<F extends (span: TelemetrySpan) => unknown>(name: string, options: { attributes?: Attributes }, fn: F): ReturnType<F>;
}

/** Where the engine's spans go: one span per public call, named `onehop.<method>`, and one per store statement, named `onehop.statement`. */
export interface TelemetryOptions {
  tracer: TelemetryTracer;
}

const isFunction = (value: unknown) => typeof value === 'function';

/** Checks the shape of `telemetry` (the caller's objects are kept, not copied: their methods need their `this`). */
export const telemetrySchema = z
  .object({
    tracer: z.looseObject({
      startSpan: z.custom<unknown>(isFunction, 'must be a function'),
      startActiveSpan: z.custom<unknown>(isFunction, 'must be a function').optional(),
    }),
  })
  .optional();

const OK = 1;
const ERROR = 2;

/** What a failed call's span records: the onehop error code, or `UNEXPECTED` for any other error (its message may hold personal data). */
const outcomeOf = (error: unknown) => (isOnehopError(error) ? error.code : 'UNEXPECTED');

/**
 * Runs `call` in a span named `name` with `attributes` and the outcome
 * (`onehop.outcome`: `ok` or the error code), the active span while it runs
 * when the tracer can make one active. A promise's span ends when it settles.
 */
function traced<T>(tracer: TelemetryTracer, name: string, attributes: Attributes, call: () => T): T {
  const inSpan = (span: TelemetrySpan): T => {
    const fail = (error: unknown): never => {
      const outcome = outcomeOf(error);
      span.setAttribute('onehop.outcome', outcome);
      span.setStatus({ code: ERROR, message: outcome });
      span.end();
      throw error;
    };
    const succeed = <R>(value: R): R => {
      span.setAttribute('onehop.outcome', 'ok');
      span.setStatus({ code: OK });
      span.end();
      return value;
    };
    let result: T;
    try {
      result = call();
    } catch (error) {
      return fail(error);
    }
    if (result instanceof Promise) return result.then(succeed, fail) as T;
    return succeed(result);
  };
  return tracer.startActiveSpan ? tracer.startActiveSpan(name, { attributes }, inSpan) : inSpan(tracer.startSpan(name, { attributes }));
}

/** The program and the mode, as every span carries them (`onehop.program_id`, `onehop.mode`). */
const scopeAttributes = (scope: Scope): Attributes => ({ 'onehop.program_id': scope.programId, 'onehop.mode': scope.mode });

/**
 * What the engine hands the store to trace its statements with
 * (`TransactionOptions.traceStatement`): each statement is a span named
 * `onehop.statement`, a child of the call's span, with the program, the mode,
 * the outcome, the statement's first keyword (`db.operation.name`) and its
 * parameterised text (`db.query.text`: placeholders, never the values).
 */
export function statementTracer(tracer: TelemetryTracer, scope: Scope): StatementTracer {
  return (text, send) => traced(tracer, 'onehop.statement', { ...scopeAttributes(scope), 'db.operation.name': operationOf(text), 'db.query.text': text }, send);
}

/** A statement's first keyword, upper case (`SELECT`, `INSERT`, `WITH`, …). */
const operationOf = (text: string) => /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? '';

/**
 * Puts a traced copy of every method of `prototype` on `target`, so each
 * public call runs in its own span. Called only when a tracer is configured:
 * without one the methods stay plain calls on the prototype.
 */
export function traceMethods(target: object, prototype: object, tracer: TelemetryTracer, scope: Scope): void {
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const method: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.value;
    if (name === 'constructor' || typeof method !== 'function') continue;
    const spanName = `onehop.${name}`;
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => traced(tracer, spanName, scopeAttributes(scope), () => method.apply(target, args)),
    });
  }
}
