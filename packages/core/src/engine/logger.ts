import * as z from 'zod';

/** Facts a log line carries: ids, codes and counts, never personal data (no e-mails, names or IP addresses). */
export type LogFields = Record<string, string | number | boolean | null>;

/**
 * Where the engine reports what it does in production: transaction retries
 * and lost guards (`debug`), dispatcher delivery failures (`warn`, `error`
 * when an event becomes a dead letter) and fraud decisions (`info`). Typed by
 * shape: `console` fits it; wrap a logger that takes the fields first
 * (pino: `info: (message, fields) => log.info(fields, message)`). Every
 * method is optional.
 */
export interface OnehopLogger {
  debug?(message: string, fields: LogFields): void;
  info?(message: string, fields: LogFields): void;
  warn?(message: string, fields: LogFields): void;
  error?(message: string, fields: LogFields): void;
}

const optionalFunction = z.custom<unknown>((value) => typeof value === 'function', 'must be a function').optional();

/** Checks the shape of `logger` (the caller's object is kept, not copied: its methods may need their `this`). */
export const loggerSchema = z.looseObject({ debug: optionalFunction, info: optionalFunction, warn: optionalFunction, error: optionalFunction }).optional();
