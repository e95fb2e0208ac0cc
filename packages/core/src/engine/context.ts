import type { z } from 'zod';
import type { Clock } from '../clock/clock';
import type { CodeGenerator } from '../codes/generate';
import type { ProgramConfig } from '../config/program';
import { dayBounds, dayKey, monthOfDay } from '../counters/stats';
import { isOnehopError, type UniqueViolationError, ValidationError } from '../errors/errors';
import type { FraudRule } from '../fraud/rules';
import type { ExchangeRateProvider } from '../money/exchange-rate';
import type { Actor, Scope } from '../store/records';
import type { Awaitable, Store, TransactionOptions } from '../store/store';
import type { OnehopLogger } from './logger';
import { statementTracer, type TelemetryTracer } from './telemetry';
import { Work } from './work';

const STALE_READ: TransactionOptions = { staleReadOk: true };

export const SYSTEM: Actor = { type: 'system', id: null };

/**
 * Validates `input` with `schema`; a failure is a ValidationError naming the
 * field, before anything is written. A string anywhere in the input (metadata
 * included) that holds the NUL character is refused the same way: PostgreSQL
 * cannot store it, and every store must accept the same inputs.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error, root);
  const nul = pathOfNul(result.data, root ? [root] : []);
  if (nul) throw new ValidationError([{ field: nul.join('.'), message: 'must not contain the NUL character (\\u0000)' }]);
  return result.data;
}

/** The path of the first string holding U+0000 in plain objects and arrays, or null. */
function pathOfNul(value: unknown, path: string[]): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000') ? [...path, key] : pathOfNul(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** What every engine operation shares: the program, the store, the clock, and the helpers below. */
export class EngineContext {
  readonly scope: Scope;
  /** Where rates for events in a foreign currency come from (`createOnehop({ exchangeRates })`); none refuses them. */
  exchangeRates: ExchangeRateProvider | null = null;
  /** The current day in the program's time zone, kept until the clock leaves it. */
  private day: { start: number; end: number; key: string; month: string } | null = null;
  /** The options of a transaction and of a read that may be stale: with the statement tracer only when there is a tracer, else as without telemetry. */
  private readonly writeOptions: TransactionOptions | undefined;
  private readonly readOptions: TransactionOptions;

  constructor(
    readonly program: ProgramConfig,
    readonly store: Store,
    readonly clock: Clock,
    private readonly maxRetries: number,
    /** The fraud rules that run at attribution and accrual: the built-ins, then the program's own. */
    readonly rules: FraudRule[],
    /** Draws a candidate code (tests replace it to force collisions). */
    readonly generateCode: CodeGenerator,
    /** Where retries, lost guards, delivery failures and fraud decisions are reported; none by default. */
    readonly logger?: OnehopLogger,
    /** Where spans go; the store's statements are traced only when there is one. */
    tracer?: TelemetryTracer,
  ) {
    this.scope = { programId: program.id, mode: program.mode };
    const traceStatement = tracer ? statementTracer(tracer, this.scope) : undefined;
    this.writeOptions = traceStatement ? { traceStatement } : undefined;
    this.readOptions = traceStatement ? { ...STALE_READ, traceStatement } : STALE_READ;
  }

  /**
   * Runs `fn` in a store transaction. A transaction conflict (a lost race:
   * serialisation failure, deadlock) rolled back completely, so it runs again,
   * up to `maxRetries` times, then surfaces. A lost connection surfaces at once:
   * its outcome may be unknown, and the caller's retry is the safe one. A
   * unique violation is passed to `onUnique`, which says whether to run again
   * or what to throw. Each attempt is one `Work`: the transaction with its
   * own statistics and outbox buffers, written just before it commits.
   */
  async run<T>(
    fn: (work: Work) => Awaitable<T>,
    onUnique: (error: UniqueViolationError) => 'retry' | Error = (error) => error,
    options: TransactionOptions | undefined = this.writeOptions,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          const work = new Work(this, tx);
          const result = await fn(work);
          await work.commit();
          return result;
        }, options);
      } catch (error) {
        const decision = !isOnehopError(error)
          ? error
          : error.code === 'STORE_UNIQUE_VIOLATION'
            ? onUnique(error as UniqueViolationError)
            : error.code === 'TRANSACTION_CONFLICT'
              ? 'retry'
              : error;
        if (decision !== 'retry' || attempt >= this.maxRetries) throw decision === 'retry' ? error : decision;
        this.logger?.debug?.('onehop: transaction retried', {
          programId: this.scope.programId,
          reason: (error as { code: string }).code,
          attempt: attempt + 1,
          maxRetries: this.maxRetries,
        });
      }
    }
  }

  /**
   * Runs a call that only reads and may see the data a little behind:
   * dashboards, histories, listings and exports. A store with a read replica
   * (the PostgreSQL store's `readPool`) may answer it there; reads that decide
   * something (inside an accrual, a payout, an attribution) never come here.
   */
  read<T>(fn: (work: Work) => Awaitable<T>): Promise<T> {
    return this.run(fn, undefined, this.readOptions);
  }

  /** The key of today in the program's time zone (see `stats.ts`). */
  today(): string {
    return this.currentDay().key;
  }

  /** Today's key and the key of its month, kept until the clock leaves the day. */
  currentDay(): { key: string; month: string } {
    const now = this.clock.now().getTime();
    if (this.day === null || now < this.day.start || now >= this.day.end) {
      const { start, end } = dayBounds(new Date(now), this.program.timeZone);
      const key = dayKey(new Date(now), this.program.timeZone);
      this.day = { start: start.getTime(), end: end.getTime(), key, month: monthOfDay(key) };
    }
    return this.day;
  }
}
