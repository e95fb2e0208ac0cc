import type {
  AuditRecord,
  ClickRecord,
  BalanceRecord,
  Awaitable,
  Bucket,
  CodeRecord,
  CommissionRecord,
  CounterRecord,
  CursorPage,
  HistoryPage,
  FingerprintRecord,
  InvitationRecord,
  OutboxRecord,
  LedgerEntryRecord,
  ParticipantRecord,
  PayoutMethodRecord,
  PayoutRecord,
  SourceEventRecord,
  ReferralRecord,
  ReviewRecord,
  Scope,
  Store,
  StoreCapabilities,
  StoreTransaction,
} from '@onehop/core';
import { OPEN_PAYOUT_STATUSES, UNIQUE_CONSTRAINTS } from '@onehop/core';
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
    [],
    {},
    ['userId'],
  );
  readonly codes = new Table<CodeRecord>(
    (r) => key(scopeKey(r), r.code),
    UNIQUE_CONSTRAINTS.codeValue,
    [],
    { user: (r) => key(scopeKey(r), r.userId) },
    ['code', 'userId'],
  );
  readonly referrals = new Table<ReferralRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.referralId,
    [{ name: UNIQUE_CONSTRAINTS.referralReferee, key: (r) => key(scopeKey(r), r.refereeId) }],
    { referrer: (r) => key(scopeKey(r), r.referrerId), status: (r) => key(scopeKey(r), r.status) },
    ['id', 'refereeId', 'referrerId', 'status'],
  );
  readonly audit = new Table<AuditRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.auditId,
    [],
    { entity: (r) => key(scopeKey(r), r.entityType, r.entityId), program: (r) => scopeKey(r) },
  );
  readonly fingerprints = new Table<FingerprintRecord>((r) => key(scopeKey(r), r.id), UNIQUE_CONSTRAINTS.fingerprintId, [], {
    value: (r) => key(scopeKey(r), r.kind, r.hash),
    user: (r) => key(scopeKey(r), r.userId),
  });
  readonly reviews = new Table<ReviewRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.reviewId,
    [{ name: UNIQUE_CONSTRAINTS.reviewOpen, key: (r) => (r.status === 'open' ? key(scopeKey(r), r.entityType, r.entityId) : null) }],
    { status: (r) => key(scopeKey(r), r.status) },
    ['id', 'status', 'entityType', 'entityId'],
  );
  readonly clicks = new Table<ClickRecord>((r) => key(scopeKey(r), r.id), UNIQUE_CONSTRAINTS.clickId, [], {
    ip: (r) => (r.ipHash === null ? null : key(scopeKey(r), r.ipHash)),
    referrer: (r) => key(scopeKey(r), r.referrerId),
  });
  readonly events = new Table<SourceEventRecord>((r) => key(scopeKey(r), r.kind, r.eventId), UNIQUE_CONSTRAINTS.sourceEvent, [], {}, [
    'kind',
    'eventId',
  ]);
  readonly commissions = new Table<CommissionRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.commissionId,
    [],
    {
      source: (r) => key(scopeKey(r), r.sourceEventId),
      referral: (r) => (r.referralId === null ? null : key(scopeKey(r), r.referralId)),
      beneficiary: (r) => key(scopeKey(r), r.beneficiaryId),
      unallocated: (r) => (r.status === 'approved' && r.payoutId === null ? key(scopeKey(r), r.beneficiaryId) : null),
      payout: (r) => (r.payoutId === null ? null : key(scopeKey(r), r.payoutId)),
      pending: (r) => (r.status === 'pending' ? scopeKey(r) : null),
    },
    ['id', 'sourceEventId', 'referralId', 'beneficiaryId', 'status', 'payoutId'],
  );
  readonly ledger = new Table<LedgerEntryRecord>((r) => key(scopeKey(r), r.id), UNIQUE_CONSTRAINTS.ledgerEntryId, [], {
    account: (r) => key(scopeKey(r), r.accountId),
  });
  readonly balances = new Table<BalanceRecord>((r) => key(scopeKey(r), r.accountId), 'balance_account', [], {}, ['accountId']);
  readonly counters = new Table<CounterRecord>((r) => key(scopeKey(r), r.ownerId, r.name, r.period), 'counter_key', [], {
    owner: (r) => key(scopeKey(r), r.ownerId, r.name),
    name: (r) => key(scopeKey(r), r.name),
  }, ['ownerId', 'name', 'period']);
  readonly payouts = new Table<PayoutRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.payoutId,
    [{ name: UNIQUE_CONSTRAINTS.payoutOpen, key: (r) => (OPEN_PAYOUT_STATUSES.includes(r.status) ? key(scopeKey(r), r.userId) : null) }],
    { user: (r) => key(scopeKey(r), r.userId), status: (r) => key(scopeKey(r), r.status) },
    ['id', 'status', 'userId'],
  );
  readonly outbox = new Table<OutboxRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.outboxId,
    [],
    {
      status: (r) => key(scopeKey(r), r.status),
      // Delivered events are removed by purge, and only those.
      delivered: (r) => (r.status === 'delivered' ? scopeKey(r) : null),
    },
    ['id', 'status'],
  );
  readonly invitations = new Table<InvitationRecord>(
    (r) => key(scopeKey(r), r.id),
    UNIQUE_CONSTRAINTS.invitationId,
    [
      { name: UNIQUE_CONSTRAINTS.invitationToken, key: (r) => key(scopeKey(r), r.token) },
      { name: UNIQUE_CONSTRAINTS.invitationPending, key: (r) => (r.status === 'pending' ? key(scopeKey(r), r.inviterId, r.emailNormalized) : null) },
    ],
    { inviter: (r) => key(scopeKey(r), r.inviterId), pending: (r) => (r.status === 'pending' ? scopeKey(r) : null) },
    ['id', 'token', 'status', 'inviterId', 'emailNormalized'],
  );
  readonly payoutMethods = new Table<PayoutMethodRecord>((r) => key(scopeKey(r), r.userId), 'payout_method_user', [], {}, ['userId']);
  // Group indexes keep insertion order, which is the order the store contract promises for listings.
}

/**
 * One page of `pks` (a group, in insertion order, or reversed for newest
 * first): the rows after the cursor's row in that order, at most `page.limit`.
 * The cursor is placed by insertion number, so a page continues correctly
 * even when the cursor's row has since left the group (a decided review).
 */
function pageOf<T extends object>(table: Table<T>, pks: string[], scope: Scope, page: CursorPage, newestFirst = false): T[] {
  let rows = pks;
  if (page.cursor !== undefined) {
    const at = table.seqOf(key(scopeKey(scope), page.cursor));
    if (at === undefined) return [];
    rows = pks.filter((pk) => (newestFirst ? table.seqOf(pk)! < at : table.seqOf(pk)! > at));
  }
  return rows.slice(0, page.limit).map((pk) => table.get(pk)!);
}

const within = (at: Date, page: HistoryPage) =>
  (page.from === undefined || at.getTime() >= page.from.getTime()) && (page.to === undefined || at.getTime() < page.to.getTime());

/**
 * One page of an account's history: the rows of `pks` (a group, in insertion
 * order) that `keep` accepts, after the cursor's row in the page's order.
 * Scans the group: fine for a development store; the PostgreSQL store
 * answers from an index.
 */
function historyOf<T extends object>(table: Table<T>, pks: string[], scope: Scope, page: HistoryPage, keep: (row: T) => boolean): T[] {
  const ordered = page.newestFirst ? [...pks].reverse() : pks;
  const at = page.cursor === undefined ? undefined : table.seqOf(key(scopeKey(scope), page.cursor));
  if (page.cursor !== undefined && at === undefined) return [];
  const out: T[] = [];
  for (const pk of ordered) {
    if (out.length >= page.limit) break;
    if (at !== undefined && (page.newestFirst ? table.seqOf(pk)! >= at : table.seqOf(pk)! <= at)) continue;
    const row = table.peek(pk)!;
    if (keep(row)) out.push(table.get(pk)!);
  }
  return out;
}

/**
 * The repositories of the running transaction. Transactions run one at a
 * time, so one set of repositories serves them all, each write logging its
 * undo in the running transaction's log (`current.undo`).
 */
function repositories(t: Tables, current: { undo: Undo[] }): StoreTransaction {
  return {
    participants: {
      insert: (row) => t.participants.insert(row, current.undo),
      get: (scope, userId) => t.participants.get(key(scopeKey(scope), userId)),
      update: (scope, userId, patch) => {
        t.participants.update(key(scopeKey(scope), userId), patch, current.undo);
      },
    },
    codes: {
      insert: (row) => t.codes.insert(row, current.undo),
      get: (scope, code) => t.codes.get(key(scopeKey(scope), code)),
      listByUser: (scope, userId) => t.codes.group('user', key(scopeKey(scope), userId)),
      update: (scope, code, patch) => {
        t.codes.update(key(scopeKey(scope), code), patch, current.undo);
      },
    },
    referrals: {
      insert: (row) => t.referrals.insert(row, current.undo),
      get: (scope, id) => t.referrals.get(key(scopeKey(scope), id)),
      getByReferee: (scope, refereeId) =>
        t.referrals.getByUnique(UNIQUE_CONSTRAINTS.referralReferee, key(scopeKey(scope), refereeId)),
      listByReferrer: (scope, referrerId, page) =>
        t.referrals.group('referrer', key(scopeKey(scope), referrerId)).slice(0, page.limit),
      listByStatus: (scope, status, page) => pageOf(t.referrals, t.referrals.groupKeys('status', key(scopeKey(scope), status)), scope, page),
      // A scan of the referrer's referrals: fine for a development store; the
      // PostgreSQL store answers it from an index.
      countByReferrerSince: (scope, referrerId, since) =>
        t.referrals
          .groupKeys('referrer', key(scopeKey(scope), referrerId))
          .filter((pk) => t.referrals.peek(pk)!.attributedAt.getTime() >= since.getTime()).length,
      update: (scope, id, patch) => {
        t.referrals.update(key(scopeKey(scope), id), patch, current.undo);
      },
    },
    audit: {
      append: (row) => t.audit.insert(row, current.undo),
      listByEntity: (scope, entityType, entityId) =>
        t.audit.group('entity', key(scopeKey(scope), entityType, entityId)),
      listRecent: (scope, page) => pageOf(t.audit, t.audit.groupKeys('program', scopeKey(scope)).reverse(), scope, page, true),
    },
    fingerprints: {
      insert: (row) => t.fingerprints.insert(row, current.undo),
      count: (scope, q) =>
        t.fingerprints.groupKeys('value', key(scopeKey(scope), q.kind, q.hash)).filter((pk) => {
          const r = t.fingerprints.peek(pk)!;
          return (
            (q.role === undefined || r.role === q.role) &&
            (q.userId === undefined || r.userId === q.userId) &&
            (q.referrerId === undefined || r.referrerId === q.referrerId) &&
            (q.since === undefined || r.at.getTime() >= q.since.getTime())
          );
        }).length,
      eraseUser: (scope, userId) => {
        const pks = t.fingerprints.groupKeys('user', key(scopeKey(scope), userId));
        for (const pk of pks) t.fingerprints.delete(pk, current.undo);
        return pks.length;
      },
    },
    reviews: {
      insert: (row) => t.reviews.insert(row, current.undo),
      get: (scope, id) => t.reviews.get(key(scopeKey(scope), id)),
      getOpen: (scope, entityType, entityId) => t.reviews.getByUnique(UNIQUE_CONSTRAINTS.reviewOpen, key(scopeKey(scope), entityType, entityId)),
      list: (scope, status, page) => pageOf(t.reviews, t.reviews.groupKeys('status', key(scopeKey(scope), status)), scope, page),
      update: (scope, id, patch) => {
        t.reviews.update(key(scopeKey(scope), id), patch, current.undo);
      },
    },
    clicks: {
      insert: (row) => t.clicks.insert(row, current.undo),
      countByIpSince: (scope, ipHash, since) =>
        t.clicks.groupKeys('ip', key(scopeKey(scope), ipHash)).filter((pk) => t.clicks.peek(pk)!.at.getTime() >= since.getTime()).length,
      listByReferrer: (scope, referrerId, page) => pageOf(t.clicks, t.clicks.groupKeys('referrer', key(scopeKey(scope), referrerId)), scope, page),
    },
    events: {
      insert: (row) => t.events.insert(row, current.undo),
      get: (scope, kind, eventId) => t.events.get(key(scopeKey(scope), kind, eventId)),
      getWithCommissions: (scope, kind, eventId) => {
        const event = t.events.get(key(scopeKey(scope), kind, eventId));
        if (!event) return null;
        const ids = event.result.commissionIds;
        const commissions = [];
        for (const id of Array.isArray(ids) ? (ids as string[]) : []) {
          const line = t.commissions.get(key(scopeKey(scope), id));
          if (line) commissions.push(line);
        }
        return { event, commissions };
      },
      update: (scope, kind, eventId, patch) => {
        t.events.update(key(scopeKey(scope), kind, eventId), patch, current.undo);
      },
    },
    commissions: {
      insert: (row) => t.commissions.insert(row, current.undo),
      get: (scope, id) => t.commissions.get(key(scopeKey(scope), id)),
      listBySource: (scope, sourceEventId) => t.commissions.group('source', key(scopeKey(scope), sourceEventId)),
      listByBeneficiary: (scope, beneficiaryId, page) =>
        historyOf(t.commissions, t.commissions.groupKeys('beneficiary', key(scopeKey(scope), beneficiaryId)), scope, page, (c) =>
          (page.status === undefined || c.status === page.status) && within(c.createdAt, page),
        ),
      listUnallocated: (scope, beneficiaryId) =>
        t.commissions
          .group('unallocated', key(scopeKey(scope), beneficiaryId))
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
      listByReferral: (scope, referralId) => t.commissions.group('referral', key(scopeKey(scope), referralId)),
      listByPayout: (scope, payoutId) => t.commissions.group('payout', key(scopeKey(scope), payoutId)),
      listDue: (scope, now, page) =>
        t.commissions
          .group('pending', scopeKey(scope))
          .filter((c) => c.availableAt.getTime() <= now.getTime())
          .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime())
          .slice(0, page.limit),
      update: (scope, id, patch) => {
        t.commissions.update(key(scopeKey(scope), id), patch, current.undo);
      },
    },
    ledger: {
      append: (rows) => {
        for (const row of rows) t.ledger.insert(row, current.undo);
      },
      listByAccount: (scope, accountId, page) =>
        historyOf(t.ledger, t.ledger.groupKeys('account', key(scopeKey(scope), accountId)), scope, page, (e) => within(e.at, page)),
      sumSince: (scope, accountId, since) => {
        const sums: Partial<Record<Bucket, number>> = {};
        for (const pk of t.ledger.groupKeys('account', key(scopeKey(scope), accountId))) {
          const e = t.ledger.peek(pk)!;
          if (e.at.getTime() >= since.getTime()) sums[e.bucket] = (sums[e.bucket] ?? 0) + e.amount;
        }
        return sums;
      },
    },
    balances: {
      get: (scope, accountId) => t.balances.get(key(scopeKey(scope), accountId)),
      add: (scope, accountId, deltas, at) => {
        const pk = key(scopeKey(scope), accountId);
        const existing = t.balances.peek(pk);
        const base = existing ?? { programId: scope.programId, mode: scope.mode, accountId, pending: 0, on_hold: 0, withdrawable: 0, requested: 0, paid: 0, updatedAt: at };
        const next: BalanceRecord = { ...base, updatedAt: at };
        for (const [bucket, delta] of Object.entries(deltas) as [Bucket, number][]) next[bucket] = base[bucket] + delta;
        if (existing) t.balances.update(pk, next, current.undo);
        else t.balances.insert(next, current.undo);
      },
    },
    counters: {
      get: (scope, ownerId, name, period) => t.counters.peek(key(scopeKey(scope), ownerId, name, period))?.value ?? 0,
      add: (scope, ownerId, name, period, delta) => {
        const pk = key(scopeKey(scope), ownerId, name, period);
        const existing = t.counters.peek(pk);
        const value = (existing?.value ?? 0) + delta;
        if (existing) t.counters.update(pk, { value }, current.undo);
        else t.counters.insert({ programId: scope.programId, mode: scope.mode, ownerId, name, period, value }, current.undo);
        return value;
      },
      addMany: (rows) => {
        for (const row of rows) {
          const pk = key(scopeKey(row), row.ownerId, row.name, row.period);
          const existing = t.counters.peek(pk);
          if (existing) t.counters.update(pk, { value: existing.value + row.value }, current.undo);
          else t.counters.insert(row, current.undo);
        }
      },
      listRange: (scope, ownerIds, name, from, to) =>
        ownerIds.flatMap((ownerId) =>
          t.counters
            .groupKeys('owner', key(scopeKey(scope), ownerId, name))
            .map((pk) => t.counters.peek(pk)!)
            .filter((c) => c.period >= from && c.period <= to)
            .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
            .map((c) => ({ ...c })),
        ),
      sum: (scope, ownerIds, names, from, to) => {
        const sums: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
        for (const ownerId of ownerIds) {
          for (const name of names) {
            for (const pk of t.counters.groupKeys('owner', key(scopeKey(scope), ownerId, name))) {
              const c = t.counters.peek(pk)!;
              if (c.period >= from && c.period <= to) sums[name] = sums[name]! + c.value;
            }
          }
        }
        return sums;
      },
      // A scan of every counter with this name: fine for a development store;
      // the PostgreSQL store answers it from an index on (name, period).
      top: (scope, name, from, to, limit) => {
        const sums = new Map<string, number>();
        for (const pk of t.counters.groupKeys('name', key(scopeKey(scope), name))) {
          const c = t.counters.peek(pk)!;
          if (c.period >= from && c.period <= to && !c.ownerId.startsWith('~')) sums.set(c.ownerId, (sums.get(c.ownerId) ?? 0) + c.value);
        }
        return [...sums]
          .map(([ownerId, value]) => ({ ownerId, value }))
          .sort((a, b) => b.value - a.value || (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0))
          .slice(0, limit);
      },
    },
    payouts: {
      insert: (row) => t.payouts.insert(row, current.undo),
      get: (scope, id) => t.payouts.get(key(scopeKey(scope), id)),
      getOpen: (scope, userId) => t.payouts.getByUnique(UNIQUE_CONSTRAINTS.payoutOpen, key(scopeKey(scope), userId)),
      listByUser: (scope, userId, page) => t.payouts.group('user', key(scopeKey(scope), userId)).slice(0, page.limit),
      listByStatus: (scope, status, page) => pageOf(t.payouts, t.payouts.groupKeys('status', key(scopeKey(scope), status)), scope, page),
      update: (scope, id, patch) => {
        t.payouts.update(key(scopeKey(scope), id), patch, current.undo);
      },
    },
    outbox: {
      insertMany: (rows) => {
        for (const row of rows) t.outbox.insert(row, current.undo);
      },
      get: (scope, id) => t.outbox.get(key(scopeKey(scope), id)),
      claim: (scope, c) => {
        const now = c.now.getTime();
        const free = (r: OutboxRecord) => r.nextAttemptAt.getTime() <= now && (r.leaseUntil === null || r.leaseUntil.getTime() <= now);
        const seen = new Set<string>();
        const taken = new Map<string, OutboxRecord[]>();
        // Pending events in insertion order: the first of each subject is its head.
        for (const pk of t.outbox.groupKeys('status', key(scopeKey(scope), 'pending'))) {
          const row = t.outbox.peek(pk)!;
          const head = !seen.has(row.subjectId);
          seen.add(row.subjectId);
          const list = taken.get(row.subjectId);
          if (head && free(row) && taken.size < c.subjects) taken.set(row.subjectId, [row]);
          else if (!head && list && list.length < c.perSubject && free(row)) list.push(row);
        }
        const out: OutboxRecord[] = [];
        for (const rows of taken.values()) {
          for (const row of rows) {
            t.outbox.update(key(scopeKey(row), row.id), { leaseToken: c.leaseToken, leaseUntil: c.leaseUntil }, current.undo);
            out.push(t.outbox.get(key(scopeKey(row), row.id))!);
          }
        }
        return out;
      },
      renew: (scope, ids, leaseToken, leaseUntil) =>
        ids.filter((id) => {
          const pk = key(scopeKey(scope), id);
          const row = t.outbox.peek(pk);
          if (row?.leaseToken !== leaseToken || row.status !== 'pending') return false;
          t.outbox.update(pk, { leaseUntil }, current.undo);
          return true;
        }),
      updateLeased: (scope, id, leaseToken, patch) => {
        const pk = key(scopeKey(scope), id);
        if (t.outbox.peek(pk)?.leaseToken !== leaseToken) return false;
        return t.outbox.update(pk, patch, current.undo);
      },
      update: (scope, id, patch) => {
        t.outbox.update(key(scopeKey(scope), id), patch, current.undo);
      },
      list: (scope, status, page) => pageOf(t.outbox, t.outbox.groupKeys('status', key(scopeKey(scope), status)), scope, page),
      purgeDelivered: (scope, before, limit) => {
        const pks = t.outbox
          .groupKeys('delivered', scopeKey(scope))
          .filter((pk) => t.outbox.peek(pk)!.deliveredAt!.getTime() < before.getTime())
          .slice(0, limit);
        for (const pk of pks) t.outbox.delete(pk, current.undo);
        return pks.length;
      },
    },
    invitations: {
      insert: (row) => t.invitations.insert(row, current.undo),
      get: (scope, id) => t.invitations.get(key(scopeKey(scope), id)),
      getByToken: (scope, token) => t.invitations.getByUnique(UNIQUE_CONSTRAINTS.invitationToken, key(scopeKey(scope), token)),
      getPending: (scope, inviterId, emailNormalized) =>
        t.invitations.getByUnique(UNIQUE_CONSTRAINTS.invitationPending, key(scopeKey(scope), inviterId, emailNormalized)),
      listByInviter: (scope, inviterId, page) =>
        historyOf(t.invitations, t.invitations.groupKeys('inviter', key(scopeKey(scope), inviterId)), scope, page, (r) => page.status === undefined || r.status === page.status),
      listExpired: (scope, now, page) =>
        t.invitations
          .groupKeys('pending', scopeKey(scope))
          .map((pk) => t.invitations.peek(pk)!)
          .filter((r) => r.expiresAt.getTime() <= now.getTime())
          .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
          .slice(0, page.limit)
          .map((r) => t.invitations.get(key(scopeKey(r), r.id))!),
      update: (scope, id, patch) => {
        t.invitations.update(key(scopeKey(scope), id), patch, current.undo);
      },
    },
    payoutMethods: {
      put: (row) => {
        const pk = key(scopeKey(row), row.userId);
        if (!t.payoutMethods.update(pk, row, current.undo)) t.payoutMethods.insert(row, current.undo);
      },
      get: (scope, userId) => t.payoutMethods.get(key(scopeKey(scope), userId)),
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
  private readonly current: { undo: Undo[] } = { undo: [] };
  private readonly repositories = repositories(this.tables, this.current);
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
