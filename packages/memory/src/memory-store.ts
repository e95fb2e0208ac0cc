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
  SourceEventKind,
  Store,
  StoreCapabilities,
  StoreTransaction,
} from '@onehop/core';
import { OPEN_PAYOUT_STATUSES, UNIQUE_CONSTRAINTS } from '@onehop/core';
import { COPIES } from './copies';
import { Counters } from './counters';
import { key, Table, type Undo } from './table';

export interface MemoryStoreOptions {
  /**
   * The memory store loses everything when the process ends, so an engine in
   * live mode refuses it. Set this only if you really want live commissions
   * kept in memory (a demo, a one-off script).
   */
  allowLive?: boolean;
}

/** The group key of a group that holds every row of the partition that has some status (e.g. every pending commission). */
const ALL_ROWS = '';

const eventTable = () =>
  new Table<SourceEventRecord>({ key: (r) => r.eventId, name: UNIQUE_CONSTRAINTS.sourceEvent, copy: COPIES.event, indexedFields: ['kind', 'eventId'] });

/**
 * The tables of one program in one mode. Every key inside is the row's own id
 * (or ids), never prefixed with the program and mode: a lookup hashes a
 * string the engine already holds, whose hash V8 keeps, instead of building
 * and hashing a new key string on every call. Group indexes keep insertion
 * order, which is the order the store contract promises for listings.
 */
class Partition {
  readonly participants = new Table<ParticipantRecord>({
    key: (r) => r.userId,
    name: UNIQUE_CONSTRAINTS.participantUser,
    copy: COPIES.participant,
    indexedFields: ['userId'],
  });
  readonly codes = new Table<CodeRecord>({
    key: (r) => r.code,
    name: UNIQUE_CONSTRAINTS.codeValue,
    copy: COPIES.code,
    groups: { user: (r) => r.userId },
    indexedFields: ['code', 'userId'],
  });
  readonly referrals = new Table<ReferralRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.referralId,
    copy: COPIES.referral,
    uniques: [{ name: UNIQUE_CONSTRAINTS.referralReferee, key: (r) => r.refereeId }],
    groups: { referrer: (r) => r.referrerId, status: (r) => r.status },
    indexedFields: ['id', 'refereeId', 'referrerId', 'status'],
  });
  readonly audit = new Table<AuditRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.auditId,
    copy: COPIES.audit,
    // The whole trail in order is the table's own key order (`keys()`).
    groups: { entity: (r) => key(r.entityType, r.entityId) },
  });
  readonly fingerprints = new Table<FingerprintRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.fingerprintId,
    copy: COPIES.fingerprint,
    groups: { value: (r) => key(r.kind, r.hash), user: (r) => r.userId },
  });
  readonly reviews = new Table<ReviewRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.reviewId,
    copy: COPIES.review,
    uniques: [{ name: UNIQUE_CONSTRAINTS.reviewOpen, key: (r) => (r.status === 'open' ? key(r.entityType, r.entityId) : null) }],
    groups: { status: (r) => r.status },
    indexedFields: ['id', 'status', 'entityType', 'entityId'],
  });
  readonly clicks = new Table<ClickRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.clickId,
    copy: COPIES.click,
    groups: { ip: (r) => r.ipHash, referrer: (r) => r.referrerId },
    indexedFields: ['id', 'ipHash', 'referrerId'],
  });
  /** Source events, one table per kind: an event is always looked up by its kind and id. */
  readonly events: Record<SourceEventKind, Table<SourceEventRecord>> = {
    purchase: eventTable(),
    refund: eventTable(),
    chargeback: eventTable(),
    bonus: eventTable(),
  };
  readonly commissions = new Table<CommissionRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.commissionId,
    copy: COPIES.commission,
    groups: {
      source: (r) => r.sourceEventId,
      referral: (r) => r.referralId,
      beneficiary: (r) => r.beneficiaryId,
      unallocated: (r) => (r.status === 'approved' && r.payoutId === null ? r.beneficiaryId : null),
      payout: (r) => r.payoutId,
      pending: (r) => (r.status === 'pending' ? ALL_ROWS : null),
    },
    indexedFields: ['id', 'sourceEventId', 'referralId', 'beneficiaryId', 'status', 'payoutId'],
  });
  readonly ledger = new Table<LedgerEntryRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.ledgerEntryId,
    copy: COPIES.ledger,
    groups: { account: (r) => r.accountId },
  });
  readonly balances = new Table<BalanceRecord>({ key: (r) => r.accountId, name: 'balance_account', copy: COPIES.balance, indexedFields: ['accountId'] });
  readonly counters = new Counters();
  readonly payouts = new Table<PayoutRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.payoutId,
    copy: COPIES.payout,
    uniques: [{ name: UNIQUE_CONSTRAINTS.payoutOpen, key: (r) => (OPEN_PAYOUT_STATUSES.includes(r.status) ? r.userId : null) }],
    groups: { user: (r) => r.userId, status: (r) => r.status },
    indexedFields: ['id', 'status', 'userId'],
  });
  readonly outbox = new Table<OutboxRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.outboxId,
    copy: COPIES.outbox,
    groups: {
      status: (r) => r.status,
      // Delivered events are removed by purge, and only those.
      delivered: (r) => (r.status === 'delivered' ? ALL_ROWS : null),
    },
    indexedFields: ['id', 'status'],
  });
  readonly invitations = new Table<InvitationRecord>({
    key: (r) => r.id,
    name: UNIQUE_CONSTRAINTS.invitationId,
    copy: COPIES.invitation,
    uniques: [
      { name: UNIQUE_CONSTRAINTS.invitationToken, key: (r) => r.token },
      { name: UNIQUE_CONSTRAINTS.invitationPending, key: (r) => (r.status === 'pending' ? key(r.inviterId, r.emailNormalized) : null) },
    ],
    groups: { inviter: (r) => r.inviterId, pending: (r) => (r.status === 'pending' ? ALL_ROWS : null) },
    indexedFields: ['id', 'token', 'status', 'inviterId', 'emailNormalized'],
  });
  readonly payoutMethods = new Table<PayoutMethodRecord>({ key: (r) => r.userId, name: 'payout_method_user', copy: COPIES.payoutMethod, indexedFields: ['userId'] });
}

/**
 * One page of `pks` (a group, in insertion order, or reversed for newest
 * first): the rows after the cursor's row in that order, at most `page.limit`.
 * The cursor is placed by insertion number, so a page continues correctly
 * even when the cursor's row has since left the group (a decided review).
 */
function pageOf<T extends object>(table: Table<T>, pks: string[], page: CursorPage, newestFirst = false): T[] {
  let rows = pks;
  if (page.cursor !== undefined) {
    const at = table.seqOf(page.cursor);
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
function historyOf<T extends object>(table: Table<T>, pks: string[], page: HistoryPage, keep: (row: T) => boolean): T[] {
  const ordered = page.newestFirst ? [...pks].reverse() : pks;
  const at = page.cursor === undefined ? undefined : table.seqOf(page.cursor);
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
function repositories(at: (scope: Scope) => Partition, current: { undo: Undo[] }): StoreTransaction {
  return {
    participants: {
      insert: (row) => at(row).participants.insert(row, current.undo),
      get: (scope, userId) => at(scope).participants.get(userId),
      update: (scope, userId, patch) => {
        at(scope).participants.update(userId, patch, current.undo);
      },
    },
    codes: {
      insert: (row) => at(row).codes.insert(row, current.undo),
      get: (scope, code) => at(scope).codes.get(code),
      listByUser: (scope, userId) => at(scope).codes.group('user', userId),
      update: (scope, code, patch) => {
        at(scope).codes.update(code, patch, current.undo);
      },
    },
    referrals: {
      insert: (row) => at(row).referrals.insert(row, current.undo),
      get: (scope, id) => at(scope).referrals.get(id),
      getByReferee: (scope, refereeId) =>
        at(scope).referrals.getByUnique(UNIQUE_CONSTRAINTS.referralReferee, refereeId),
      listByReferrer: (scope, referrerId, page) =>
        at(scope).referrals.group('referrer', referrerId).slice(0, page.limit),
      listByStatus: (scope, status, page) => pageOf(at(scope).referrals, at(scope).referrals.groupKeys('status', status), page),
      // A scan of the referrer's referrals: fine for a development store; the
      // PostgreSQL store answers it from an index.
      countByReferrerSince: (scope, referrerId, since) =>
        at(scope).referrals
          .groupKeys('referrer', referrerId)
          .filter((pk) => at(scope).referrals.peek(pk)!.attributedAt.getTime() >= since.getTime()).length,
      update: (scope, id, patch) => {
        at(scope).referrals.update(id, patch, current.undo);
      },
    },
    audit: {
      append: (row) => at(row).audit.insert(row, current.undo),
      listByEntity: (scope, entityType, entityId) =>
        at(scope).audit.group('entity', key(entityType, entityId)),
      listRecent: (scope, page) => pageOf(at(scope).audit, at(scope).audit.keys().reverse(), page, true),
    },
    fingerprints: {
      insert: (row) => at(row).fingerprints.insert(row, current.undo),
      count: (scope, q) =>
        at(scope).fingerprints.groupKeys('value', key(q.kind, q.hash)).filter((pk) => {
          const r = at(scope).fingerprints.peek(pk)!;
          return (
            (q.role === undefined || r.role === q.role) &&
            (q.userId === undefined || r.userId === q.userId) &&
            (q.referrerId === undefined || r.referrerId === q.referrerId) &&
            (q.since === undefined || r.at.getTime() >= q.since.getTime())
          );
        }).length,
      listByUser: (scope, userId) => at(scope).fingerprints.group('user', userId),
      eraseUser: (scope, userId) => {
        const pks = at(scope).fingerprints.groupKeys('user', userId);
        for (const pk of pks) at(scope).fingerprints.delete(pk, current.undo);
        return pks.length;
      },
    },
    reviews: {
      insert: (row) => at(row).reviews.insert(row, current.undo),
      get: (scope, id) => at(scope).reviews.get(id),
      getOpen: (scope, entityType, entityId) => at(scope).reviews.getByUnique(UNIQUE_CONSTRAINTS.reviewOpen, key(entityType, entityId)),
      list: (scope, status, page) => pageOf(at(scope).reviews, at(scope).reviews.groupKeys('status', status), page),
      update: (scope, id, patch) => {
        at(scope).reviews.update(id, patch, current.undo);
      },
    },
    clicks: {
      insert: (row) => at(row).clicks.insert(row, current.undo),
      countByIpSince: (scope, ipHash, since) =>
        at(scope).clicks.groupKeys('ip', ipHash).filter((pk) => at(scope).clicks.peek(pk)!.at.getTime() >= since.getTime()).length,
      listByReferrer: (scope, referrerId, page) => pageOf(at(scope).clicks, at(scope).clicks.groupKeys('referrer', referrerId), page),
      eraseByIpHashes: (scope, ipHashes) => {
        const table = at(scope).clicks;
        let changed = 0;
        for (const pk of new Set(ipHashes.flatMap((hash) => table.groupKeys('ip', hash)))) {
          table.update(pk, { ipHash: null, landingUrl: null }, current.undo);
          changed += 1;
        }
        return changed;
      },
    },
    events: {
      insert: (row) => at(row).events[row.kind].insert(row, current.undo),
      get: (scope, kind, eventId) => at(scope).events[kind].get(eventId),
      getWithCommissions: (scope, kind, eventId) => {
        const p = at(scope);
        const event = p.events[kind].get(eventId);
        if (!event) return null;
        const ids = event.result.commissionIds;
        const commissions = [];
        for (const id of Array.isArray(ids) ? (ids as string[]) : []) {
          const line = p.commissions.get(id);
          if (line) commissions.push(line);
        }
        return { event, commissions };
      },
      update: (scope, kind, eventId, patch) => {
        at(scope).events[kind].update(eventId, patch, current.undo);
      },
    },
    commissions: {
      insert: (row) => at(row).commissions.insert(row, current.undo),
      get: (scope, id) => at(scope).commissions.get(id),
      listBySource: (scope, sourceEventId) => at(scope).commissions.group('source', sourceEventId),
      listByBeneficiary: (scope, beneficiaryId, page) =>
        historyOf(at(scope).commissions, at(scope).commissions.groupKeys('beneficiary', beneficiaryId), page, (c) =>
          (page.status === undefined || c.status === page.status) && within(c.createdAt, page),
        ),
      listUnallocated: (scope, beneficiaryId) =>
        at(scope).commissions
          .group('unallocated', beneficiaryId)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
      listByReferral: (scope, referralId) => at(scope).commissions.group('referral', referralId),
      listByPayout: (scope, payoutId) => at(scope).commissions.group('payout', payoutId),
      // Transactions run one at a time: nothing another one claimed is still locked.
      claimDue: (scope, now, page) =>
        at(scope).commissions
          .group('pending', ALL_ROWS)
          .filter((c) => c.availableAt.getTime() <= now.getTime())
          .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime())
          .slice(0, page.limit),
      update: (scope, id, patch) => {
        at(scope).commissions.update(id, patch, current.undo);
      },
    },
    ledger: {
      append: (rows) => {
        for (const row of rows) at(row).ledger.insert(row, current.undo);
      },
      listByAccount: (scope, accountId, page) =>
        historyOf(at(scope).ledger, at(scope).ledger.groupKeys('account', accountId), page, (e) => within(e.at, page)),
      sumSince: (scope, accountId, since) => {
        const sums: Partial<Record<Bucket, number>> = {};
        for (const pk of at(scope).ledger.groupKeys('account', accountId)) {
          const e = at(scope).ledger.peek(pk)!;
          if (e.at.getTime() >= since.getTime()) sums[e.bucket] = (sums[e.bucket] ?? 0) + e.amount;
        }
        return sums;
      },
    },
    balances: {
      get: (scope, accountId) => at(scope).balances.get(accountId),
      add: (scope, accountId, deltas, updatedAt) => {
        const balances = at(scope).balances;
        const existing = balances.peek(accountId);
        const base = existing ?? { programId: scope.programId, mode: scope.mode, accountId, pending: 0, on_hold: 0, withdrawable: 0, requested: 0, paid: 0, updatedAt };
        const next: BalanceRecord = { ...base, updatedAt };
        for (const [bucket, delta] of Object.entries(deltas) as [Bucket, number][]) next[bucket] = base[bucket] + delta;
        if (existing) balances.update(accountId, next, current.undo);
        else balances.insert(next, current.undo);
      },
    },
    counters: {
      get: (scope, ownerId, name, period) => at(scope).counters.get(ownerId, name, period),
      add: (scope, ownerId, name, period, delta) => at(scope).counters.add(ownerId, name, period, delta, current.undo),
      addMany: (rows) => {
        for (const row of rows) at(row).counters.add(row.ownerId, row.name, row.period, row.value, current.undo);
      },
      listRange: (scope, ownerIds, name, from, to) =>
        ownerIds.flatMap((ownerId) =>
          [...(at(scope).counters.periods(name, ownerId) ?? [])]
            .filter(([period]) => period >= from && period <= to)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([period, value]): CounterRecord => ({ programId: scope.programId, mode: scope.mode, ownerId, name, period, value })),
        ),
      sum: (scope, ownerIds, names, from, to) => {
        const sums: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
        for (const ownerId of ownerIds) {
          for (const name of names) {
            for (const [period, value] of at(scope).counters.periods(name, ownerId) ?? []) {
              if (period >= from && period <= to) sums[name] = sums[name]! + value;
            }
          }
        }
        return sums;
      },
      // A scan of every counter with this name: fine for a development store;
      // the PostgreSQL store answers it from an index on (name, period).
      top: (scope, name, from, to, limit) => {
        const sums = new Map<string, number>();
        for (const [ownerId, periods] of at(scope).counters.owners(name) ?? []) {
          if (ownerId.startsWith('~')) continue;
          for (const [period, value] of periods) {
            if (period >= from && period <= to) sums.set(ownerId, (sums.get(ownerId) ?? 0) + value);
          }
        }
        return [...sums]
          .map(([ownerId, value]) => ({ ownerId, value }))
          .sort((a, b) => b.value - a.value || (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0))
          .slice(0, limit);
      },
    },
    payouts: {
      insert: (row) => at(row).payouts.insert(row, current.undo),
      get: (scope, id) => at(scope).payouts.get(id),
      getOpen: (scope, userId) => at(scope).payouts.getByUnique(UNIQUE_CONSTRAINTS.payoutOpen, userId),
      listByUser: (scope, userId, page) => at(scope).payouts.group('user', userId).slice(0, page.limit),
      listByStatus: (scope, status, page) => pageOf(at(scope).payouts, at(scope).payouts.groupKeys('status', status), page),
      update: (scope, id, patch) => {
        at(scope).payouts.update(id, patch, current.undo);
      },
    },
    outbox: {
      insertMany: (rows) => {
        for (const row of rows) at(row).outbox.insert(row, current.undo);
      },
      get: (scope, id) => at(scope).outbox.get(id),
      claim: (scope, c) => {
        const now = c.now.getTime();
        const free = (r: OutboxRecord) => r.nextAttemptAt.getTime() <= now && (r.leaseUntil === null || r.leaseUntil.getTime() <= now);
        // Subjects seen, and whether their run is still open (a run closes at an event that is not free, or after a head that failed before).
        const open = new Map<string, boolean>();
        const taken = new Map<string, OutboxRecord[]>();
        // Pending events in insertion order: the first of each subject is its head.
        for (const pk of at(scope).outbox.groupKeys('status', 'pending')) {
          const row = at(scope).outbox.peek(pk)!;
          const head = !open.has(row.subjectId);
          if (!head && !open.get(row.subjectId)) continue;
          const list = taken.get(row.subjectId);
          if (head && free(row) && taken.size < c.subjects) {
            taken.set(row.subjectId, [row]);
            open.set(row.subjectId, row.attempts === 0 && c.perSubject > 1);
          } else if (!head && list && free(row)) {
            list.push(row);
            open.set(row.subjectId, list.length < c.perSubject);
          } else {
            open.set(row.subjectId, false);
          }
        }
        const out: OutboxRecord[] = [];
        for (const rows of taken.values()) {
          for (const row of rows) {
            at(scope).outbox.update(row.id, { leaseToken: c.leaseToken, leaseUntil: c.leaseUntil }, current.undo);
            out.push(at(scope).outbox.get(row.id)!);
          }
        }
        return out;
      },
      renew: (scope, ids, leaseToken, leaseUntil) =>
        ids.filter((id) => {
          const pk = id;
          const row = at(scope).outbox.peek(pk);
          if (row?.leaseToken !== leaseToken || row.status !== 'pending') return false;
          at(scope).outbox.update(pk, { leaseUntil }, current.undo);
          return true;
        }),
      release: (scope, ids, leaseToken) => {
        for (const id of ids) {
          if (at(scope).outbox.peek(id)?.leaseToken === leaseToken) at(scope).outbox.update(id, { leaseToken: null, leaseUntil: null }, current.undo);
        }
      },
      updateLeased: (scope, id, leaseToken, patch) => {
        const pk = id;
        if (at(scope).outbox.peek(pk)?.leaseToken !== leaseToken) return false;
        return at(scope).outbox.update(pk, patch, current.undo);
      },
      update: (scope, id, patch) => {
        at(scope).outbox.update(id, patch, current.undo);
      },
      list: (scope, status, page) => pageOf(at(scope).outbox, at(scope).outbox.groupKeys('status', status), page),
      purgeDelivered: (scope, before, limit) => {
        const pks = at(scope).outbox
          .groupKeys('delivered', ALL_ROWS)
          .filter((pk) => at(scope).outbox.peek(pk)!.deliveredAt!.getTime() < before.getTime())
          .slice(0, limit);
        for (const pk of pks) at(scope).outbox.delete(pk, current.undo);
        return pks.length;
      },
      // A scan of the partition's events: erasure is rare, and this is a development store.
      clearErrors: (scope, subjectId, entityIds) => {
        const table = at(scope).outbox;
        const entities = new Set(entityIds);
        const pks = table.keys().filter((pk) => {
          const r = table.peek(pk)!;
          return r.lastError !== null && (r.subjectId === subjectId || entities.has(r.entityId));
        });
        for (const pk of pks) table.update(pk, { lastError: null }, current.undo);
        return pks.length;
      },
    },
    invitations: {
      insert: (row) => at(row).invitations.insert(row, current.undo),
      get: (scope, id) => at(scope).invitations.get(id),
      getByToken: (scope, token) => at(scope).invitations.getByUnique(UNIQUE_CONSTRAINTS.invitationToken, token),
      getPending: (scope, inviterId, emailNormalized) =>
        at(scope).invitations.getByUnique(UNIQUE_CONSTRAINTS.invitationPending, key(inviterId, emailNormalized)),
      listByInviter: (scope, inviterId, page) =>
        historyOf(at(scope).invitations, at(scope).invitations.groupKeys('inviter', inviterId), page, (r) => page.status === undefined || r.status === page.status),
      listExpired: (scope, now, page) =>
        at(scope).invitations
          .groupKeys('pending', ALL_ROWS)
          .map((pk) => at(scope).invitations.peek(pk)!)
          .filter((r) => r.expiresAt.getTime() <= now.getTime())
          .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
          .slice(0, page.limit)
          .map((r) => at(scope).invitations.get(r.id)!),
      // A scan of the partition's invitations: erasure is rare, and this is a development store.
      listConcerning: (scope, userId, emailsNormalized) => {
        const table = at(scope).invitations;
        const emails = new Set(emailsNormalized);
        return table
          .keys()
          .filter((pk) => {
            const r = table.peek(pk)!;
            return r.inviterId === userId || r.acceptedBy === userId || emails.has(r.emailNormalized);
          })
          .map((pk) => table.get(pk)!);
      },
      update: (scope, id, patch) => {
        at(scope).invitations.update(id, patch, current.undo);
      },
    },
    payoutMethods: {
      put: (row) => {
        const pk = row.userId;
        if (!at(row).payoutMethods.update(pk, row, current.undo)) at(row).payoutMethods.insert(row, current.undo);
      },
      get: (scope, userId) => at(scope).payoutMethods.get(userId),
      delete: (scope, userId) => at(scope).payoutMethods.delete(userId, current.undo),
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
