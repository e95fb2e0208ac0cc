import type { Awaitable, Scope, Store, StoreCapabilities, StoreTransaction } from '@onehop/core';
import { accrualRepository } from './accruals';
import { Partition } from './partition';
import type { Undo } from './table';
import { auditRepository } from './tables/audit';
import { balanceRepository } from './tables/balances';
import { clickRepository } from './tables/clicks';
import { codeRepository } from './tables/codes';
import { commissionRepository } from './tables/commissions';
import { counterRepository } from './tables/counters';
import { fingerprintRepository } from './tables/fingerprints';
import { invitationRepository } from './tables/invitations';
import { ledgerRepository } from './tables/ledger';
import { outboxRepository } from './tables/outbox';
import { participantRepository } from './tables/participants';
import { payoutMethodRepository } from './tables/payout-methods';
import { payoutRunRepository } from './tables/payout-runs';
import { payoutRepository } from './tables/payouts';
import { referralRepository } from './tables/referrals';
import { reviewRepository } from './tables/reviews';
import { sourceEventRepository } from './tables/source-events';
import { taxProfileRepository } from './tables/tax-profiles';

export interface MemoryStoreOptions {
  /**
   * The memory store loses everything when the process ends, so an engine in
   * live mode refuses it. Set this only if you really want live commissions
   * kept in memory (a demo, a one-off script).
   */
  allowLive?: boolean;
}

/**
 * The repositories of the running transaction. Transactions run one at a
 * time, so one set of repositories (one per table, `tables/`) serves them all, each write logging its
 * undo in the running transaction's log (`current.undo`).
 */
function repositories(at: (scope: Scope) => Partition, current: { undo: Undo[] }): StoreTransaction {
  const tables: Omit<StoreTransaction, 'accruals'> = {
    participants: participantRepository(at, current),
    codes: codeRepository(at, current),
    referrals: referralRepository(at, current),
    audit: auditRepository(at, current),
    fingerprints: fingerprintRepository(at, current),
    reviews: reviewRepository(at, current),
    clicks: clickRepository(at, current),
    events: sourceEventRepository(at, current),
    commissions: commissionRepository(at, current),
    ledger: ledgerRepository(at, current),
    balances: balanceRepository(at, current),
    counters: counterRepository(at, current),
    payouts: payoutRepository(at, current),
    outbox: outboxRepository(at, current),
    invitations: invitationRepository(at, current),
    payoutMethods: payoutMethodRepository(at, current),
    payoutRuns: payoutRunRepository(at, current),
    taxProfiles: taxProfileRepository(at, current),
  };
  return { ...tables, accruals: accrualRepository(at, current, tables) };
}

/**
 * A real transactional store that keeps everything in memory: transactions
 * are atomic (a thrown error leaves nothing behind), run one at a time, and
 * unique constraints are enforced like the database's. Made for development,
 * mock mode and your own test suites; it is what `@onehop/postgres` is
 * measured against in the shared conformance suite.
 */
export class MemoryStore implements Store {
  readonly capabilities: StoreCapabilities;
  /** Partitions by program id, then mode. */
  private readonly partitions = new Map<string, Partial<Record<Scope['mode'], Partition>>>();
  private readonly current: { undo: Undo[] } = { undo: [] };
  private readonly repositories = repositories((scope) => this.partition(scope), this.current);
  /** Tail of the queue of transactions; each waits for the one before it. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: MemoryStoreOptions = {}) {
    this.capabilities = { name: 'memory', durable: false, liveAllowed: options.allowLive === true };
  }

  /**
   * Runs `fn` alone: transactions are queued and run one after another, which
   * serialises all work (including per-referrer locks) trivially. If `fn`
   * throws, every write it made is undone in reverse order. Do not call
   * `transaction` from inside `fn`: it would wait for itself.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Awaitable<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const undo: Undo[] = [];
      this.current.undo = undo;
      try {
        return await fn(this.repositories);
      } catch (error) {
        for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
        throw error;
      } finally {
        // The undo log holds the rows as they were before the transaction: an
        // erased address must not live on in it once the erasure committed.
        undo.length = 0;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** The tables of a program in a mode, created empty on first use (an empty partition holds nothing, so it needs no undo). */
  private partition(scope: Scope): Partition {
    let modes = this.partitions.get(scope.programId);
    if (modes === undefined) this.partitions.set(scope.programId, (modes = {}));
    return (modes[scope.mode] ??= new Partition());
  }

  async close(): Promise<void> {
    await this.tail;
  }
}

/** Creates an empty memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options);
}
