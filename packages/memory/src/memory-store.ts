import type {
  AuditRecord,
  CodeRecord,
  ParticipantRecord,
  ReferralRecord,
  Scope,
  Store,
  StoreCapabilities,
  StoreTransaction,
} from '@onehop/core';
import { UNIQUE_CONSTRAINTS } from '@onehop/core';
import { key, Table, type Undo } from './table';

export interface MemoryStoreOptions {
  /**
   * The memory store loses everything when the process ends, so an engine in
   * live mode refuses it. Set this only if you really want live commissions
   * kept in memory (a demo, a one-off script).
   */
  allowLive?: boolean;
}

const scopeKey = (s: Scope) => key(s.programId, s.mode);

class Tables {
  readonly participants = new Table<ParticipantRecord>(
    (r) => key(scopeKey(r), r.userId),
    UNIQUE_CONSTRAINTS.participantUser,
  );
  readonly codes = new Table<CodeRecord>(
    (r) => key(scopeKey(r), r.code),
    UNIQUE_CONSTRAINTS.codeValue,
    [],
    { user: (r) => key(scopeKey(r), r.userId) },
  );
  readonly referrals = new Table<ReferralRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.referralId,
    [{ name: UNIQUE_CONSTRAINTS.referralReferee, key: (r) => key(scopeKey(r), r.refereeId) }],
    { referrer: (r) => key(scopeKey(r), r.referrerId) },
  );
  readonly audit = new Table<AuditRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.auditId,
    [],
    { entity: (r) => key(scopeKey(r), r.entityType, r.entityId) },
  );
  // Group indexes keep insertion order, which is the order the store contract promises for listings.
}

function transactionView(t: Tables, undo: Undo[]): StoreTransaction {
  return {
    participants: {
      insert: async (row) => t.participants.insert(row, undo),
      get: async (scope, userId) => t.participants.get(key(scopeKey(scope), userId)),
      update: async (scope, userId, patch) => {
        t.participants.update(key(scopeKey(scope), userId), patch, undo);
      },
    },
    codes: {
      insert: async (row) => t.codes.insert(row, undo),
      get: async (scope, code) => t.codes.get(key(scopeKey(scope), code)),
      listByUser: async (scope, userId) => t.codes.group('user', key(scopeKey(scope), userId)),
      update: async (scope, code, patch) => {
        t.codes.update(key(scopeKey(scope), code), patch, undo);
      },
    },
    referrals: {
      insert: async (row) => t.referrals.insert(row, undo),
      get: async (scope, id) => t.referrals.get(key(scopeKey(scope), id)),
      getByReferee: async (scope, refereeId) =>
        t.referrals.getByUnique(UNIQUE_CONSTRAINTS.referralReferee, key(scopeKey(scope), refereeId)),
      listByReferrer: async (scope, referrerId, page) =>
        t.referrals.group('referrer', key(scopeKey(scope), referrerId)).slice(0, page.limit),
      update: async (scope, id, patch) => {
        t.referrals.update(key(scopeKey(scope), id), patch, undo);
      },
    },
    audit: {
      append: async (row) => t.audit.insert(row, undo),
      listByEntity: async (scope, entityType, entityId) =>
        t.audit.group('entity', key(scopeKey(scope), entityType, entityId)),
    },
  };
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
  private readonly tables = new Tables();
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
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const undo: Undo[] = [];
      try {
        return await fn(transactionView(this.tables, undo));
      } catch (error) {
        for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
        throw error;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.tail;
  }
}

/** Creates an empty memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options);
}
