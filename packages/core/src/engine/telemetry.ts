import { z } from 'zod';
import { isOnehopError } from '../errors/errors';
import type { Scope } from '../store/records';

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

/** The part of an OpenTelemetry tracer the engine uses (`trace.getTracer('onehop')` fits it). */
export interface TelemetryTracer {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): TelemetrySpan;
}

/** Where the engine's spans go: one span per public call, named `onehop.<method>`. */
export interface TelemetryOptions {
  tracer: TelemetryTracer;
}

const isFunction = (value: unknown) => typeof value === 'function';

/** Checks the shape of `telemetry` (the caller's objects are kept, not copied: their methods need their `this`). */
export const telemetrySchema = z.object({ tracer: z.looseObject({ startSpan: z.custom<unknown>(isFunction, 'must be a function') }) }).optional();

const OK = 1;
const ERROR = 2;

/** What a failed call's span records: the onehop error code, or `UNEXPECTED` for any other error (its message may hold personal data). */
const outcomeOf = (error: unknown) => (isOnehopError(error) ? error.code : 'UNEXPECTED');

/**
 * Runs `call` in a span named `name` with the program, mode and outcome as
 * attributes (`onehop.program_id`, `onehop.mode`, `onehop.outcome`: `ok` or
 * the error code). A promise's span ends when it settles.
 */
function traced<T>(tracer: TelemetryTracer, name: string, scope: Scope, call: () => T): T {
  const span = tracer.startSpan(name, { attributes: { 'onehop.program_id': scope.programId, 'onehop.mode': scope.mode } });
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
}

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
      value: (...args: unknown[]) => traced(tracer, spanName, scope, () => method.apply(target, args)),
    });
  }
}
