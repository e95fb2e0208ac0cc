import type { z } from 'zod';
import type { Clock } from '../clock/clock';
import type { ProgramConfig } from '../config/program';
import type { FraudRule } from '../fraud/rules';
import { isOnehopError, ValidationError, type UniqueViolationError } from '../errors/errors';
import type {
  Actor,
  AuditEntityType,
  AuditRecord,
  Bucket,
  LedgerEntryKind,
  LedgerEntryRecord,
  LedgerSourceType,
  Scope,
} from '../store/records';
import type { Awaitable, Store, StoreTransaction } from '../store/store';
import { newId } from './ids';

export const SYSTEM: Actor = { type: 'system', id: null };

/** Validates `input` with `schema`; a failure is a ValidationError naming the field, before anything is written. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error, root);
  return result.data;
}

/** Money moving within one account: signed amounts per bucket, summing to the account's net change. */
export interface Posting {
  accountId: string;
  moves: Partial<Record<Bucket, number>>;
  kind: LedgerEntryKind;
  commissionId?: string | null;
  payoutId?: string | null;
  sourceType: LedgerSourceType;
  sourceId: string;
  actor: Actor;
  reason?: string | null;
}

/** What every engine operation shares: the program, the store, the clock, and the helpers below. */
export class EngineContext {
  readonly scope: Scope;

  constructor(
    readonly program: ProgramConfig,
    readonly store: Store,
    readonly clock: Clock,
    private readonly maxRetries: number,
    /** The fraud rules that run at attribution and accrual: the built-ins, then the program's own. */
    readonly rules: FraudRule[] = [],
  ) {
    this.scope = { programId: program.id, mode: program.mode };
  }

  /**
   * Runs `fn` in a store transaction. A transaction conflict (a lost race:
   * serialisation failure, deadlock) rolled back completely, so it runs again,
   * up to `maxRetries` times, then surfaces. A lost connection surfaces at once:
   * its outcome may be unknown, and the caller's retry is the safe one. A
   * unique violation is passed to `onUnique`, which says whether to run again
   * or what to throw.
   */
  async run<T>(
    fn: (tx: StoreTransaction) => Awaitable<T>,
    onUnique: (error: UniqueViolationError) => 'retry' | Error = (error) => error,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(fn);
      } catch (error) {
        const decision = !isOnehopError(error)
          ? error
          : error.code === 'STORE_UNIQUE_VIOLATION'
            ? onUnique(error as UniqueViolationError)
            : error.code === 'TRANSACTION_CONFLICT'
              ? 'retry'
              : error;
        if (decision !== 'retry' || attempt >= this.maxRetries) throw decision === 'retry' ? error : decision;
      }
    }
  }

  /** Appends one line to the audit trail. */
  async audit(
    tx: StoreTransaction,
    entityType: AuditEntityType,
    entityId: string,
    action: string,
    actor: Actor,
    fields: Partial<Pick<AuditRecord, 'before' | 'after' | 'reason' | 'sourceEvent' | 'data'>> = {},
  ): Promise<void> {
    await tx.audit.append({
      programId: this.scope.programId, mode: this.scope.mode,
      id: newId('aud'),
      entityType,
      entityId,
      action,
      actor,
      before: fields.before ?? null,
      after: fields.after ?? null,
      reason: fields.reason ?? null,
      sourceEvent: fields.sourceEvent ?? null,
      data: fields.data ?? null,
      at: this.clock.now(),
    });
  }

  /**
   * Writes ledger entries, one per non-zero move, and adds the same amounts
   * to the account's balance row in the same transaction, so a balance
   * always equals the sum of its entries.
   */
  async post(tx: StoreTransaction, postings: Posting[]): Promise<void> {
    const at = this.clock.now();
    const entries: LedgerEntryRecord[] = [];
    for (const p of postings) {
      const deltas: Partial<Record<Bucket, number>> = {};
      for (const [bucket, amount] of Object.entries(p.moves) as [Bucket, number][]) {
        if (amount === 0) continue;
        deltas[bucket] = amount;
        entries.push({
          programId: this.scope.programId, mode: this.scope.mode,
          id: newId('led'),
          accountId: p.accountId,
          bucket,
          amount,
          kind: p.kind,
          commissionId: p.commissionId ?? null,
          payoutId: p.payoutId ?? null,
          sourceType: p.sourceType,
          sourceId: p.sourceId,
          actor: p.actor,
          reason: p.reason ?? null,
          at,
        });
      }
      if (Object.keys(deltas).length > 0) await tx.balances.add(this.scope, p.accountId, deltas, at);
    }
    if (entries.length > 0) await tx.ledger.append(entries);
  }
}
