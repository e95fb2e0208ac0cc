// Over 300 lines: the store contract tested repository by repository over one shared scope; each part is a short describe block.
// Records and the store contract come from the public entry, like the rest of the suite.
import {
  type AuditRecord,
  type ClickRecord,
  type CodeRecord,
  type CommissionRecord,
  type FingerprintRecord,
  type InvitationRecord,
  type LedgerEntryRecord,
  type OutboxRecord,
  type ParticipantRecord,
  type PayoutRecord,
  type PayoutRunRecord,
  type ReferralRecord,
  type ReviewRecord,
  type Scope,
  type SourceEventRecord,
  type Store,
  type StoreTransaction,
  UNIQUE_CONSTRAINTS,
  type UniqueConstraint,
  UniqueViolationError,
  type WriteSet,
} from '@onehop/core';
import { describe, expect, it } from 'vitest';

/** A store for one test and a scope no other test uses. */
export type OpenStore = () => Promise<{ store: Store; scope: Scope }>;

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
/** A time `minutes` after the suite's start; a fresh Date each call. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const HASH = (n: number) => n.toString(16).padStart(64, '0');

// Rows built with the real record types, every field written out. Foreign keys
// (a store may enforce them, as PostgreSQL does): codes, referrals, payouts,
// commissions, clicks, invitations and payout methods name a participant; referrals and clicks a code;
// commissions, reviews and source events a referral.
const participant = (s: Scope, userId: string, minutes = 0): ParticipantRecord => ({
  programId: s.programId,
  mode: s.mode,
  userId,
  email: null,
  emailNormalized: null,
  code: `${userId.toUpperCase()}CODE`,
  status: 'active',
  termsVersion: null,
  enrolledAt: at(minutes),
  updatedAt: at(minutes),
  groupId: null,
  customTerms: null,
});
const code = (s: Scope, value: string, userId: string, minutes = 0): CodeRecord => ({
  programId: s.programId,
  mode: s.mode,
  code: value,
  userId,
  status: 'active',
  vanity: false,
  createdAt: at(minutes),
  retiredAt: null,
});
const referral = (s: Scope, id: string, refereeId: string, minutes = 0, status: ReferralRecord['status'] = 'pending'): ReferralRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  referrerId: 'alice',
  refereeId,
  code: 'ALICECODE',
  status,
  statusReason: null,
  source: null,
  country: null,
  refereeEmailNormalized: null,
  clickedAt: null,
  attributedAt: at(minutes),
  qualifiedAt: null,
  purchaseCount: 0,
  revenue: 0,
  updatedAt: at(minutes),
});
const auditLine = (s: Scope, id: string, entityId: string, minutes = 0): AuditRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  entityType: 'participant',
  entityId,
  action: 'participant.enrolled',
  actor: { type: 'user', id: entityId },
  before: null,
  after: 'active',
  reason: null,
  sourceEvent: null,
  data: { code: 'ALICECODE', nested: { tags: ['a'] } },
  at: at(minutes),
});
const ledgerEntry = (s: Scope, id: string, amount: number, minutes = 0): LedgerEntryRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  accountId: 'alice',
  bucket: 'pending',
  amount,
  kind: 'accrual',
  commissionId: null,
  payoutId: null,
  sourceType: 'purchase',
  sourceId: `pi_${id}`,
  actor: { type: 'system', id: null },
  reason: null,
  at: at(minutes),
});
const commission = (s: Scope, id: string, minutes = 0): CommissionRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  kind: 'referral',
  beneficiaryId: 'alice',
  referrerId: 'alice',
  refereeId: 'bob',
  referralId: 'rfl_bob',
  sourceKind: 'purchase',
  sourceEventId: `pi_${id}`,
  amount: 490,
  reversedAmount: 0,
  status: 'pending',
  statusReason: null,
  calculation: { rule: 'percentage', source: 'base', rateBps: 1000, baseAmount: 4900, rounding: 'half_even', uncapped: 490 },
  availableAt: at(minutes + 30 * 24 * 60),
  payoutId: null,
  createdAt: at(minutes),
  approvedAt: null,
  paidAt: null,
  updatedAt: at(minutes),
});
const sourceEvent = (s: Scope, eventId: string): SourceEventRecord => ({
  programId: s.programId,
  mode: s.mode,
  kind: 'purchase',
  eventId,
  payloadHash: HASH(1),
  referralId: 'rfl_bob',
  referrerId: 'alice',
  refereeId: 'bob',
  amount: 4900,
  reversedAmount: 0,
  relatedEventId: null,
  result: { commissionIds: [] },
  occurredAt: at(0),
  recordedAt: at(0),
});
const payout = (s: Scope, id: string, status: PayoutRecord['status'], minutes = 0): PayoutRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  userId: 'alice',
  amount: 1000,
  status,
  method: { type: 'paypal', email: 'alice@example.com' },
  statusReason: null,
  externalReference: status === 'paid' ? `ref-${id}` : null,
  requestedAt: at(minutes),
  decidedAt: status === 'requested' ? null : at(minutes),
  decidedBy: status === 'requested' ? null : 'admin',
  paidAt: status === 'paid' ? at(minutes) : null,
  updatedAt: at(minutes),
  runId: null,
  attempts: 0,
  idempotencyKey: null,
  batchId: null,
  leaseUntil: null,
});
const payoutRun = (s: Scope, id: string): PayoutRunRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  status: 'running',
  before: at(0),
  minimum: 0,
  currency: 'USD',
  createdBy: 'admin',
  createdAt: at(0),
  completedAt: null,
  result: null,
});
const review = (s: Scope, id: string, entityId: string, minutes = 0): ReviewRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  entityType: 'commission',
  entityId,
  referralId: 'rfl_bob',
  referrerId: 'alice',
  status: 'open',
  findings: [{ rule: 'high_value', action: 'review', reason: 'HIGH_VALUE', details: { amount: 100_000 } }],
  createdAt: at(minutes),
  decidedAt: null,
  decidedBy: null,
  decisionReason: null,
});
const click = (s: Scope, id: string, minutes = 0): ClickRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  code: 'ALICECODE',
  referrerId: 'alice',
  landingUrl: 'https://shop.example/join',
  source: null,
  ipHash: HASH(2),
  at: at(minutes),
});
const outboxEvent = (s: Scope, id: string, minutes = 0): OutboxRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  type: 'referral.created',
  subjectId: 'alice',
  entityType: 'referral',
  entityId: 'rfl_bob',
  data: { referralId: 'rfl_bob', nested: { n: 1 } },
  occurredAt: at(minutes),
  status: 'pending',
  attempts: 0,
  nextAttemptAt: at(minutes),
  leaseToken: null,
  leaseUntil: null,
  lastError: null,
  deliveredAt: null,
});
const invitation = (s: Scope, id: string, email: string, token: string, minutes = 0): InvitationRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  inviterId: 'alice',
  email,
  emailNormalized: email.toLowerCase(),
  message: null,
  token,
  status: 'pending',
  sendCount: 1,
  lastSentAt: at(minutes),
  expiresAt: at(minutes + 14 * 24 * 60),
  acceptedBy: null,
  decidedAt: null,
  createdAt: at(minutes),
});
const fingerprint = (s: Scope, id: string, minutes = 0): FingerprintRecord => ({
  programId: s.programId,
  mode: s.mode,
  id,
  userId: 'bob',
  kind: 'ip',
  hash: HASH(3),
  role: 'signup',
  referrerId: 'alice',
  at: at(minutes),
});

/** What a rejected promise was rejected with. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/**
 * The store contract itself (`Store`, `StoreTransaction`), without the engine:
 * listing order and cursor pages, the names of unique violations, `forUpdate`
 * reads, atomicity, copies in and out, and scopes. The engine's behaviour on
 * top of it is the other suites' subject.
 */
export function storeContractSuite(open: OpenStore, options: { supportsLiveMode: boolean }): void {
  /** A store with alice enrolled (code ALICECODE) and bob referred by her (referral rfl_bob). */
  async function seeded() {
    const { store, scope } = await open();
    await store.transaction(async (tx) => {
      await tx.participants.insert(participant(scope, 'alice'));
      await tx.codes.insert(code(scope, 'ALICECODE', 'alice'));
    });
    await store.transaction((tx) => tx.referrals.insert(referral(scope, 'rfl_bob', 'bob')));
    const read = <T>(fn: (tx: StoreTransaction) => T | Promise<T>) => store.transaction(fn);
    return { store, scope, read };
  }

  describe('ordering and cursors', () => {
    it('lists in insertion order, not by the rows’ times: a user’s codes, a referrer’s referrals, an entity’s audit lines', async () => {
      const { store, scope, read } = await seeded();
      // Each row is older than the one inserted before it.
      for (const [i, value] of ['SECOND23', 'THIRD234'].entries()) await store.transaction((tx) => tx.codes.insert(code(scope, value, 'alice', -10 * (i + 1))));
      for (const [i, id] of ['rfl_carol', 'rfl_dan'].entries()) await store.transaction((tx) => tx.referrals.insert(referral(scope, id, id.slice(4), -10 * (i + 1))));
      for (const [i, id] of ['aud_1', 'aud_2', 'aud_3'].entries()) await store.transaction((tx) => tx.audit.append(auditLine(scope, id, 'alice', -10 * i)));
      expect((await read((tx) => tx.codes.listByUser(scope, 'alice'))).map((c) => c.code)).toEqual(['ALICECODE', 'SECOND23', 'THIRD234']);
      expect((await read((tx) => tx.referrals.listByReferrer(scope, 'alice', { limit: 10 }))).map((r) => r.id)).toEqual(['rfl_bob', 'rfl_carol', 'rfl_dan']);
      expect((await read((tx) => tx.referrals.listByReferrer(scope, 'alice', { limit: 2 }))).map((r) => r.id)).toEqual(['rfl_bob', 'rfl_carol']);
      expect((await read((tx) => tx.audit.listByEntity(scope, 'participant', 'alice'))).map((a) => a.id)).toEqual(['aud_1', 'aud_2', 'aud_3']);
    });

    /** Every page of a listing, following the cursor: the last row of a page is the next page's cursor. */
    async function allPages<T extends { id: string }>(list: (cursor: string | undefined) => Promise<T[]>, limit: number): Promise<string[][]> {
      const pages: string[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = (await list(cursor)).map((r) => r.id);
        pages.push(page);
        if (page.length < limit) return pages;
        cursor = page.at(-1);
      }
    }

    // Listings with a cursor: five matching rows inserted one per transaction (with a row that does not match among them), paged by two.
    const cursorListings: {
      name: string;
      insert: (tx: StoreTransaction, s: Scope, i: number) => unknown;
      list: (tx: StoreTransaction, s: Scope, cursor: string | undefined) => unknown;
      /** The matching rows' numbers, in the listing's order (row 2 matches only where it is listed). */
      expected: string[];
      newestFirst?: boolean;
    }[] = [
      {
        name: 'referrals by status',
        insert: (tx, s, i) => tx.referrals.insert(referral(s, `rfl_${i}`, `referee-${i}`, i, i === 2 ? 'pending' : 'qualified')),
        list: (tx, s, cursor) => tx.referrals.listByStatus(s, 'qualified', { limit: 2, cursor }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'payouts by status',
        insert: (tx, s, i) => tx.payouts.insert(payout(s, `pay_${i}`, i === 2 ? 'rejected' : 'paid', i)),
        list: (tx, s, cursor) => tx.payouts.listByStatus(s, 'paid', { limit: 2, cursor }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'reviews by status',
        insert: (tx, s, i) =>
          tx.reviews.insert({
            ...review(s, `rev_${i}`, `com_${i}`, i),
            ...(i === 2 ? { status: 'approved' as const, decidedAt: at(i), decidedBy: 'admin', decisionReason: 'fine' } : {}),
          }),
        list: (tx, s, cursor) => tx.reviews.list(s, 'open', { limit: 2, cursor }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'a referrer’s clicks',
        insert: (tx, s, i) => tx.clicks.insert(i === 2 ? { ...click(s, `clk_${i}`, i), code: 'OTHERCODE', referrerId: 'olga' } : click(s, `clk_${i}`, i)),
        list: (tx, s, cursor) => tx.clicks.listByReferrer(s, 'alice', { limit: 2, cursor }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'outbox events by status',
        insert: (tx, s, i) => tx.outbox.insertMany([i === 2 ? { ...outboxEvent(s, `evt_${i}`, i), status: 'dead' } : outboxEvent(s, `evt_${i}`, i)]),
        list: (tx, s, cursor) => tx.outbox.list(s, 'pending', { limit: 2, cursor }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'an inviter’s invitations with one status',
        insert: (tx, s, i) =>
          tx.invitations.insert(
            i === 2
              ? { ...invitation(s, `inv_${i}`, `p${i}@example.com`, `token-${i}-0123456789`, i), status: 'cancelled', decidedAt: at(i) }
              : invitation(s, `inv_${i}`, `p${i}@example.com`, `token-${i}-0123456789`, i),
          ),
        list: (tx, s, cursor) => tx.invitations.listByInviter(s, 'alice', { limit: 2, cursor, status: 'pending' }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'an inviter’s invitations, newest first',
        insert: (tx, s, i) => tx.invitations.insert(invitation(s, `inv_${i}`, `p${i}@example.com`, `token-${i}-0123456789`, i)),
        list: (tx, s, cursor) => tx.invitations.listByInviter(s, 'alice', { limit: 2, cursor, newestFirst: true }),
        expected: ['5', '4', '3', '2', '1'],
        newestFirst: true,
      },
      {
        name: 'a beneficiary’s commissions with one status',
        insert: (tx, s, i) => tx.commissions.insert(i === 2 ? { ...commission(s, `com_${i}`, i), status: 'on_hold' } : commission(s, `com_${i}`, i)),
        list: (tx, s, cursor) => tx.commissions.listByBeneficiary(s, 'alice', { limit: 2, cursor, status: 'pending' }),
        expected: ['1', '3', '4', '5'],
      },
      {
        name: 'the audit trail, newest first',
        insert: (tx, s, i) => tx.audit.append(auditLine(s, `aud_${i}`, `user-${i}`, i)),
        list: (tx, s, cursor) => tx.audit.listRecent(s, { limit: 2, cursor }),
        expected: ['5', '4', '3', '2', '1'],
        newestFirst: true,
      },
    ];

    it.each(cursorListings)(
      'pages $name with a cursor: each page continues after the last row of the one before, and a row inserted meanwhile does not shift a page',
      async ({ insert, list, expected, newestFirst }) => {
        const { store, scope, read } = await seeded();
        // Another referrer, for the click that is not alice's.
        await store.transaction(async (tx) => {
          await tx.participants.insert(participant(scope, 'olga'));
          await tx.codes.insert(code(scope, 'OTHERCODE', 'olga'));
        });
        for (const i of [1, 2, 3, 4, 5]) await store.transaction((tx) => insert(tx, scope, i));
        const page = (cursor: string | undefined) => read((tx) => list(tx, scope, cursor) as Promise<{ id: string }[]>);
        const number = (id: string) => id.slice(id.indexOf('_') + 1);
        const pages = await allPages(page, 2);
        expect(pages.flat().map(number)).toEqual(expected);
        expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
        // A row inserted after the first page was read: the next page, from the same cursor, still starts where the first ended.
        const first = await page(undefined);
        await store.transaction((tx) => insert(tx, scope, 6));
        expect((await page(first.at(-1)!.id)).map((r) => number(r.id))).toEqual(expected.slice(2, 4));
        // Newest first, the new row comes first when read now; oldest first, last.
        expect((await allPages(page, 2)).flat().map(number)).toEqual(newestFirst ? ['6', ...expected] : [...expected, '6']);
      },
    );

    it('lists the events related to one event (listRelated): oldest occurredAt first, then kind and id, only that event’s, and sees updates of their result and ids', async () => {
      const { store, scope, read } = await seeded();
      const related = (kind: SourceEventRecord['kind'], eventId: string, minutes: number, relatedEventId = 'pi_1'): SourceEventRecord => ({
        ...sourceEvent(scope, eventId),
        kind,
        referralId: null,
        referrerId: null,
        refereeId: null,
        relatedEventId,
        result: { pending: true },
        occurredAt: at(minutes),
      });
      await store.transaction(async (tx) => {
        await tx.events.insert(related('refund', 're_b', 5));
        await tx.events.insert(related('chargeback', 'dp_1', 1));
        await tx.events.insert(related('refund', 're_a', 5));
        await tx.events.insert(related('chargeback', 'dp_0', 5));
        await tx.events.insert(related('refund', 're_other', 0, 'pi_2'));
      });
      const listed = await read((tx) => tx.events.listRelated(scope, 'pi_1'));
      expect(listed.map((e) => `${e.kind}:${e.eventId}`)).toEqual(['chargeback:dp_1', 'chargeback:dp_0', 'refund:re_a', 'refund:re_b']);
      expect(await read((tx) => tx.events.listRelated({ ...scope, programId: `${scope.programId}-other` }, 'pi_1'))).toEqual([]);
      await store.transaction((tx) =>
        tx.events.update(scope, 'refund', 're_a', { result: { applied: 10 }, referralId: 'rfl_bob', referrerId: 'alice', refereeId: 'bob' }),
      );
      expect(await read((tx) => tx.events.get(scope, 'refund', 're_a'))).toMatchObject({
        result: { applied: 10 },
        referralId: 'rfl_bob',
        referrerId: 'alice',
        refereeId: 'bob',
      });
    });

    it('pages an account’s ledger: in the order appended or newest first, after a cursor, within [from, to) of the entries’ times', async () => {
      const { store, scope, read } = await seeded();
      for (const i of [1, 2, 3, 4, 5]) await store.transaction((tx) => tx.ledger.append([ledgerEntry(scope, `led_${i}`, 100 * i, i)]));
      await store.transaction((tx) => tx.ledger.append([{ ...ledgerEntry(scope, 'led_other', 7, 3), accountId: 'olga' }]));
      const ids = async (page: Parameters<StoreTransaction['ledger']['listByAccount']>[2]) =>
        (await read((tx) => tx.ledger.listByAccount(scope, 'alice', page))).map((e) => e.id);
      expect(await ids({ limit: 2 })).toEqual(['led_1', 'led_2']);
      expect(await ids({ limit: 2, cursor: 'led_2' })).toEqual(['led_3', 'led_4']);
      expect(await ids({ limit: 2, cursor: 'led_4' })).toEqual(['led_5']);
      expect(await ids({ limit: 2, newestFirst: true })).toEqual(['led_5', 'led_4']);
      expect(await ids({ limit: 2, newestFirst: true, cursor: 'led_4' })).toEqual(['led_3', 'led_2']);
      // `from` is included, `to` is not.
      expect(await ids({ limit: 10, from: at(2), to: at(4) })).toEqual(['led_2', 'led_3']);
      expect(await ids({ limit: 10, from: at(2), to: at(4), newestFirst: true })).toEqual(['led_3', 'led_2']);
      expect(await read((tx) => tx.ledger.sumSince(scope, 'alice', at(4)))).toEqual({ pending: 900 });
    });
  });

  describe('counters', () => {
    it('top leaves out exactly the owners it is asked to (excludeOwnerIds) and applies no rule of its own about owner ids', async () => {
      const { store, scope } = await seeded();
      const result = await store.transaction(async (tx) => {
        await tx.counters.addMany([
          { ...scope, ownerId: '~other', name: 'stat.earned', period: 'd:2026-03-01', value: 7 },
          { ...scope, ownerId: '~program:0', name: 'stat.earned', period: 'd:2026-03-01', value: 9 },
          { ...scope, ownerId: 'alice', name: 'stat.earned', period: 'd:2026-03-01', value: 5 },
        ]);
        return {
          excluding: await tx.counters.top(scope, 'stat.earned', 'd:2026-03-01', 'd:2026-03-31', 10, ['~program:0']),
          all: await tx.counters.top(scope, 'stat.earned', 'd:2026-03-01', 'd:2026-03-31', 10),
        };
      });
      expect(result).toEqual({
        excluding: [
          { ownerId: '~other', value: 7 },
          { ownerId: 'alice', value: 5 },
        ],
        all: [
          { ownerId: '~program:0', value: 9 },
          { ownerId: '~other', value: 7 },
          { ownerId: 'alice', value: 5 },
        ],
      });
    });
  });

  describe('unique constraints', () => {
    /** For each constraint: a write that violates it, on a store where `prepare` (committed first) and the first write are. */
    const violations: Record<UniqueConstraint, { first: (tx: StoreTransaction, s: Scope) => unknown; second: (tx: StoreTransaction, s: Scope) => unknown }> = {
      participant_user: { first: () => undefined, second: (tx, s) => tx.participants.insert({ ...participant(s, 'alice', 5), email: 'x@example.com' }) },
      code_value: { first: (tx, s) => tx.participants.insert(participant(s, 'olga')), second: (tx, s) => tx.codes.insert(code(s, 'ALICECODE', 'olga')) },
      referral_referee: { first: () => undefined, second: (tx, s) => tx.referrals.insert(referral(s, 'rfl_bob_again', 'bob')) },
      referral_id: { first: () => undefined, second: (tx, s) => tx.referrals.insert(referral(s, 'rfl_bob', 'carol')) },
      source_event: { first: (tx, s) => tx.events.insert(sourceEvent(s, 'pi_1')), second: (tx, s) => tx.events.insert({ ...sourceEvent(s, 'pi_1'), amount: 1 }) },
      payout_open: { first: (tx, s) => tx.payouts.insert(payout(s, 'pay_1', 'requested')), second: (tx, s) => tx.payouts.insert(payout(s, 'pay_2', 'requested')) },
      payout_id: { first: (tx, s) => tx.payouts.insert(payout(s, 'pay_1', 'paid')), second: (tx, s) => tx.payouts.insert(payout(s, 'pay_1', 'rejected')) },
      audit_id: { first: (tx, s) => tx.audit.append(auditLine(s, 'aud_1', 'alice')), second: (tx, s) => tx.audit.append(auditLine(s, 'aud_1', 'bob')) },
      commission_id: {
        first: (tx, s) => tx.commissions.insert(commission(s, 'com_1')),
        second: (tx, s) => tx.commissions.insert({ ...commission(s, 'com_1'), sourceEventId: 'pi_other' }),
      },
      ledger_entry_id: { first: (tx, s) => tx.ledger.append([ledgerEntry(s, 'led_1', 100)]), second: (tx, s) => tx.ledger.append([ledgerEntry(s, 'led_1', 200)]) },
      fingerprint_id: {
        first: (tx, s) => tx.fingerprints.insert(fingerprint(s, 'fp_1')),
        second: (tx, s) => tx.fingerprints.insert({ ...fingerprint(s, 'fp_1'), kind: 'device' }),
      },
      review_id: { first: (tx, s) => tx.reviews.insert(review(s, 'rev_1', 'com_1')), second: (tx, s) => tx.reviews.insert(review(s, 'rev_1', 'com_2')) },
      review_open: { first: (tx, s) => tx.reviews.insert(review(s, 'rev_1', 'com_1')), second: (tx, s) => tx.reviews.insert(review(s, 'rev_2', 'com_1')) },
      click_id: { first: (tx, s) => tx.clicks.insert(click(s, 'clk_1')), second: (tx, s) => tx.clicks.insert({ ...click(s, 'clk_1'), source: 'x' }) },
      outbox_id: { first: (tx, s) => tx.outbox.insertMany([outboxEvent(s, 'evt_1')]), second: (tx, s) => tx.outbox.insertMany([outboxEvent(s, 'evt_1')]) },
      invitation_id: {
        first: (tx, s) => tx.invitations.insert(invitation(s, 'inv_1', 'p1@example.com', 'token-1-0123456789')),
        second: (tx, s) => tx.invitations.insert(invitation(s, 'inv_1', 'p2@example.com', 'token-2-0123456789')),
      },
      invitation_token: {
        first: (tx, s) => tx.invitations.insert(invitation(s, 'inv_1', 'p1@example.com', 'token-1-0123456789')),
        second: (tx, s) => tx.invitations.insert(invitation(s, 'inv_2', 'p2@example.com', 'token-1-0123456789')),
      },
      invitation_pending: {
        first: (tx, s) => tx.invitations.insert(invitation(s, 'inv_1', 'p1@example.com', 'token-1-0123456789')),
        second: (tx, s) => tx.invitations.insert(invitation(s, 'inv_2', 'P1@example.com', 'token-2-0123456789')),
      },
      payout_run_id: { first: (tx, s) => tx.payoutRuns.insert(payoutRun(s, 'run_1')), second: (tx, s) => tx.payoutRuns.insert({ ...payoutRun(s, 'run_1'), minimum: 5 }) },
      payout_run_payee: {
        first: async (tx, s) => {
          await tx.payoutRuns.insert(payoutRun(s, 'run_1'));
          await tx.payouts.insert({ ...payout(s, 'pay_1', 'paid'), runId: 'run_1' });
        },
        second: (tx, s) => tx.payouts.insert({ ...payout(s, 'pay_2', 'failed'), runId: 'run_1' }),
      },
    };

    it('has a case for every name in UNIQUE_CONSTRAINTS', () => {
      expect(Object.keys(violations).sort()).toEqual(Object.values(UNIQUE_CONSTRAINTS).sort());
    });

    it.each(Object.keys(violations) as UniqueConstraint[])('reports a violation of %s as UniqueViolationError with that name, and keeps what was there', async (name) => {
      const { store, scope } = await seeded();
      const { first, second } = violations[name];
      await store.transaction((tx) => first(tx, scope));
      const before = await store.transaction(async (tx) => ({
        participants: await tx.participants.get(scope, 'alice'),
        codes: await tx.codes.listByUser(scope, 'alice'),
      }));
      const error = await rejection(store.transaction((tx) => second(tx, scope)));
      expect(error).toBeInstanceOf(UniqueViolationError);
      expect(error).toMatchObject({ code: 'STORE_UNIQUE_VIOLATION', constraint: name });
      expect(
        await store.transaction(async (tx) => ({ participants: await tx.participants.get(scope, 'alice'), codes: await tx.codes.listByUser(scope, 'alice') })),
      ).toEqual(before);
      // The store keeps working after the failed transaction.
      await store.transaction((tx) => tx.audit.append(auditLine(scope, 'aud_after', 'alice')));
      expect(await store.transaction((tx) => tx.audit.listByEntity(scope, 'participant', 'alice'))).toHaveLength(name === 'audit_id' ? 2 : 1);
    });
  });

  describe('forUpdate', () => {
    it('a read with forUpdate holds the row until the transaction ends: concurrent read-then-write transactions on one participant lose no write', async () => {
      const { store, scope } = await seeded();
      await store.transaction((tx) => tx.participants.update(scope, 'alice', { termsVersion: '0' }));
      const increments = 6;
      await Promise.all(
        Array.from({ length: increments }, () =>
          store.transaction(async (tx) => {
            const row = await tx.participants.get(scope, 'alice', { forUpdate: true });
            // Between the read and the write another transaction could read the same value, unless the lock keeps it waiting.
            await new Promise((resolve) => setTimeout(resolve, 5));
            await tx.participants.update(scope, 'alice', { termsVersion: String(Number(row?.termsVersion) + 1) });
          }),
        ),
      );
      expect((await store.transaction((tx) => tx.participants.get(scope, 'alice')))?.termsVersion).toBe(String(increments));
    });

    it('a second transaction’s forUpdate read waits for the first to commit and sees its write', async () => {
      const { store, scope } = await seeded();
      const steps: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const firstLocked = new Promise<void>((resolve) => (locked = resolve));
      const first = store.transaction(async (tx) => {
        await tx.participants.get(scope, 'alice', { forUpdate: true });
        steps.push('first locked');
        locked();
        await tx.participants.update(scope, 'alice', { status: 'suspended' });
        await held;
        steps.push('first ends');
      });
      await firstLocked;
      const second = store.transaction(async (tx) => {
        const row = await tx.participants.get(scope, 'alice', { forUpdate: true });
        steps.push(`second read ${row?.status}`);
      });
      // Give the second transaction time to ask for the lock, then let the first end.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await Promise.all([first, second]);
      expect(steps).toEqual(['first locked', 'first ends', 'second read suspended']);
    });
  });

  describe('atomicity', () => {
    it('a transaction that throws leaves nothing of what it wrote, in any repository, and rethrows the error unchanged', async () => {
      const { store, scope, read } = await seeded();
      const boom = new Error('boom');
      const error = await rejection(
        store.transaction(async (tx) => {
          await tx.participants.insert(participant(scope, 'ghost'));
          await tx.codes.insert(code(scope, 'GHOSTCODE', 'ghost'));
          await tx.participants.update(scope, 'alice', { status: 'suspended' });
          await tx.referrals.update(scope, 'rfl_bob', { status: 'qualified', purchaseCount: 1, revenue: 4900 });
          await tx.events.insert(sourceEvent(scope, 'pi_1'));
          await tx.commissions.insert(commission(scope, 'com_1'));
          await tx.ledger.append([ledgerEntry(scope, 'led_1', 490)]);
          await tx.balances.add(scope, 'alice', { pending: 490 }, at(0));
          await tx.counters.add(scope, 'alice', 'qualified', 'all', 1);
          await tx.audit.append(auditLine(scope, 'aud_1', 'alice'));
          await tx.outbox.insertMany([outboxEvent(scope, 'evt_1')]);
          await tx.payoutMethods.put({ programId: scope.programId, mode: scope.mode, userId: 'alice', method: { type: 'store_credit' }, updatedAt: at(0) });
          await tx.fingerprints.insert(fingerprint(scope, 'fp_1'));
          await tx.clicks.insert(click(scope, 'clk_1'));
          await tx.invitations.insert(invitation(scope, 'inv_1', 'p1@example.com', 'token-1-0123456789'));
          // Reads inside the transaction see its writes.
          expect(await tx.participants.get(scope, 'ghost')).not.toBeNull();
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      const after = await read(async (tx) => ({
        ghost: await tx.participants.get(scope, 'ghost'),
        code: await tx.codes.get(scope, 'GHOSTCODE'),
        alice: (await tx.participants.get(scope, 'alice'))?.status,
        referral: (await tx.referrals.get(scope, 'rfl_bob'))?.status,
        event: await tx.events.get(scope, 'purchase', 'pi_1'),
        commission: await tx.commissions.get(scope, 'com_1'),
        ledger: await tx.ledger.listByAccount(scope, 'alice', { limit: 10 }),
        balance: await tx.balances.get(scope, 'alice'),
        counter: await tx.counters.get(scope, 'alice', 'qualified', 'all'),
        audit: await tx.audit.listByEntity(scope, 'participant', 'alice'),
        outbox: await tx.outbox.get(scope, 'evt_1'),
        payoutMethod: await tx.payoutMethods.get(scope, 'alice'),
        fingerprints: await tx.fingerprints.listByUser(scope, 'bob'),
        clicks: await tx.clicks.listByReferrer(scope, 'alice', { limit: 10 }),
        invitation: await tx.invitations.get(scope, 'inv_1'),
      }));
      expect(after).toEqual({
        ghost: null,
        code: null,
        alice: 'active',
        referral: 'pending',
        event: null,
        commission: null,
        ledger: [],
        balance: null,
        counter: 0,
        audit: [],
        outbox: null,
        payoutMethod: null,
        fingerprints: [],
        clicks: [],
        invitation: null,
      });
      // The names are free again.
      await store.transaction(async (tx) => {
        await tx.participants.insert(participant(scope, 'ghost'));
        await tx.codes.insert(code(scope, 'GHOSTCODE', 'ghost'));
      });
    });

    it('a unique violation rolls back the writes its transaction made before it', async () => {
      const { store, scope, read } = await seeded();
      const error = await rejection(
        store.transaction(async (tx) => {
          await tx.participants.insert(participant(scope, 'olga'));
          await tx.audit.append(auditLine(scope, 'aud_1', 'olga'));
          await tx.codes.insert(code(scope, 'ALICECODE', 'olga'));
        }),
      );
      expect(error).toMatchObject({ constraint: 'code_value' });
      expect(await read((tx) => tx.participants.get(scope, 'olga'))).toBeNull();
      expect(await read((tx) => tx.audit.listByEntity(scope, 'participant', 'olga'))).toEqual([]);
    });

    it('returns what the transaction returns, whether it answers at once or with a promise', async () => {
      const { store } = await open();
      expect(await store.transaction(() => 42)).toBe(42);
      expect(await store.transaction(async () => 'later')).toBe('later');
    });
  });

  describe('accruals: read and apply', () => {
    /** A purchase's write set for bob's referral: one line, its ledger entry and balance, counters, the referral, the event, an audit line, an event for the outbox. */
    const purchaseWrites = (scope: Scope, facts: Versions, n: number, exclusive = true, referralId = 'rfl_bob'): WriteSet => ({
      guard: { scope, participantId: 'alice', version: facts.referrerVersion, exclusive, referral: { id: referralId, version: facts.referralVersion } },
      commissions: [{ ...commission(scope, `com_${n}`), sourceEventId: `pi_${n}` }],
      ledger: [{ ...ledgerEntry(scope, `led_${n}`, 490), commissionId: `com_${n}`, sourceId: `pi_${n}` }],
      balances: [{ accountId: 'alice', deltas: { pending: 490 }, at: at(n) }],
      counters: [
        { programId: scope.programId, mode: scope.mode, ownerId: 'alice', name: 'commission', period: 'all', value: 490 },
        { programId: scope.programId, mode: scope.mode, ownerId: 'alice', name: 'revenue', period: 'all', value: 4900 },
      ],
      referrals: [{ id: referralId, patch: { purchaseCount: n, revenue: 4900 * n, updatedAt: at(n) } }],
      events: [{ ...sourceEvent(scope, `pi_${n}`), result: { commissionIds: [`com_${n}`] } }],
      audit: [{ ...auditLine(scope, `aud_${n}`, `com_${n}`, n), entityType: 'commission' }],
      reviews: [],
      fingerprints: [fingerprint(scope, `fp_${n}`, n)],
      outbox: [outboxEvent(scope, `evt_${n}`, n)],
    });
    type Versions = { referrerVersion: number; referralVersion: number };
    const query = (eventId: string, refereeId = 'bob') => ({
      refereeId,
      event: { kind: 'purchase' as const, eventId },
      counters: [
        { name: 'revenue', period: 'all' },
        { name: 'qualified', period: 'all' },
      ],
      bonuses: true,
    });

    it('reads in one call the referral of a referee, its referrer with a version, the counters asked for (0 without a row), the event with its lines, an open review and the referrer’s bonus events', async () => {
      const { store, scope, read } = await seeded();
      const before = await read((tx) => tx.accruals.read(scope, query('pi_1')));
      expect(before).toMatchObject({ event: null, referral: { id: 'rfl_bob', referrerId: 'alice' }, referrer: { userId: 'alice' }, counters: [0, 0] });
      expect(before.referralInReview).toBe(false);
      expect(before.bonusEventIds).toEqual([]);
      expect(await read((tx) => tx.accruals.apply(purchaseWrites(scope, before, 1)))).toBe(true);
      await store.transaction(async (tx) => {
        await tx.reviews.insert({ ...review(scope, 'rev_1', 'rfl_bob'), entityType: 'referral' });
        await tx.events.insert({ ...sourceEvent(scope, 'milestone:alice:1'), kind: 'bonus' });
      });
      const after = await read((tx) => tx.accruals.read(scope, query('pi_1')));
      expect(after.event?.event).toMatchObject({ eventId: 'pi_1', result: { commissionIds: ['com_1'] } });
      expect(after.event?.commissions.map((c) => c.id)).toEqual(['com_1']);
      expect(after.referral).toMatchObject({ purchaseCount: 1, revenue: 4900 });
      expect(after.counters).toEqual([4900, 0]);
      expect(after.referralInReview).toBe(true);
      expect(after.bonusEventIds).toEqual(['milestone:alice:1']);
      expect(after.referrerVersion).not.toBe(before.referrerVersion);
      // Nobody referred: no referral, no referrer.
      expect(await read((tx) => tx.accruals.read(scope, { ...query('pi_1'), refereeId: 'nobody' }))).toMatchObject({ referral: null, referrer: null, counters: [0, 0] });
    });

    it('reads, with the purchase, the refunds and chargebacks related to its event id, whatever their result, in order, whole', async () => {
      const { store, scope, read } = await seeded();
      const kept = (kind: 'refund' | 'chargeback', eventId: string, related: string, n: number, result: Record<string, unknown>): SourceEventRecord => ({
        ...sourceEvent(scope, eventId),
        kind,
        referralId: null,
        referrerId: null,
        refereeId: null,
        amount: 1000 + n,
        relatedEventId: related,
        result,
        occurredAt: at(n),
        recordedAt: at(n),
      });
      expect((await read((tx) => tx.accruals.read(scope, query('pi_1')))).relatedReversals).toEqual([]);
      await store.transaction(async (tx) => {
        await tx.events.insert(kept('chargeback', 'dp_2', 'pi_1', 2, { pending: true }));
        await tx.events.insert(kept('refund', 're_1', 'pi_1', 1, { pending: true, refundedTotal: 1500 }));
        // Applied already (still related to pi_1), or related to another purchase.
        await tx.events.insert(kept('refund', 're_3', 'pi_1', 3, { pending: false, applied: 1003 }));
        await tx.events.insert(kept('refund', 're_4', 'pi_2', 4, { pending: true }));
        await tx.events.insert(kept('refund', 're_5', 'pi_1', 5, { applied: 1005 }));
      });
      const facts = await read((tx) => tx.accruals.read(scope, query('pi_1')));
      expect(facts.relatedReversals.map((e) => e.eventId)).toEqual(['re_1', 'dp_2', 're_3', 're_5']);
      expect(facts.relatedReversals[0]).toEqual(kept('refund', 're_1', 'pi_1', 1, { pending: true, refundedTotal: 1500 }));
      expect(facts.relatedReversals[1]).toEqual(kept('chargeback', 'dp_2', 'pi_1', 2, { pending: true }));
      // Nothing is read without an event, nor for an event that is not a purchase; what is read does not depend on the referee having a referral.
      expect((await read((tx) => tx.accruals.read(scope, { ...query('pi_1'), event: undefined }))).relatedReversals).toEqual([]);
      expect((await read((tx) => tx.accruals.read(scope, { ...query('pi_1'), event: { kind: 'bonus', eventId: 'pi_1' } }))).relatedReversals).toEqual([]);
      expect((await read((tx) => tx.accruals.read(scope, { ...query('pi_2'), refereeId: 'nobody' }))).relatedReversals.map((e) => e.eventId)).toEqual(['re_4']);
      // Updated when the purchase applies it: read as it now is.
      await store.transaction(async (tx) => {
        await tx.events.update(scope, 'refund', 're_1', { referralId: 'rfl_bob', referrerId: 'alice', refereeId: 'bob', result: { applied: 500 } });
      });
      expect((await read((tx) => tx.accruals.read(scope, query('pi_1')))).relatedReversals[0]).toMatchObject({
        eventId: 're_1',
        referrerId: 'alice',
        result: { applied: 500 },
      });
    });

    it('applies a write set whole while the referrer keeps the version it was decided on; a second decided on the same version writes nothing and says so', async () => {
      const { store, scope, read } = await seeded();
      const facts = await read((tx) => tx.accruals.read(scope, query('pi_1')));
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, facts, 1)))).toBe(true);
      // Decided on the same facts, applied after the first: the guard no longer holds.
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, facts, 2)))).toBe(false);
      expect(await read((tx) => tx.commissions.listBySource(scope, 'pi_1'))).toHaveLength(1);
      expect(await read((tx) => tx.commissions.listBySource(scope, 'pi_2'))).toEqual([]);
      expect(await read((tx) => tx.events.get(scope, 'purchase', 'pi_2'))).toBeNull();
      expect(await read((tx) => tx.balances.get(scope, 'alice'))).toMatchObject({ pending: 490 });
      expect(await read((tx) => tx.counters.get(scope, 'alice', 'revenue', 'all'))).toBe(4900);
      expect(await read((tx) => tx.referrals.get(scope, 'rfl_bob'))).toMatchObject({ purchaseCount: 1, revenue: 4900 });
      expect((await read((tx) => tx.ledger.listByAccount(scope, 'alice', { limit: 10 }))).map((e) => e.id)).toEqual(['led_1']);
      expect(await read((tx) => tx.audit.listByEntity(scope, 'commission', 'com_2'))).toEqual([]);
      expect(await read((tx) => tx.outbox.get(scope, 'evt_2'))).toBeNull();
      expect(await read((tx) => tx.fingerprints.listByUser(scope, 'bob'))).toHaveLength(1);
      // Decided again on fresh facts, it applies.
      const fresh = await read((tx) => tx.accruals.read(scope, query('pi_2')));
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, fresh, 2)))).toBe(true);
      expect(await read((tx) => tx.balances.get(scope, 'alice'))).toMatchObject({ pending: 980 });
      expect(await read((tx) => tx.counters.get(scope, 'alice', 'revenue', 'all'))).toBe(9800);
      expect((await read((tx) => tx.audit.listByEntity(scope, 'commission', 'com_2'))).map((a) => a.id)).toEqual(['aud_2']);
      expect(await read((tx) => tx.outbox.get(scope, 'evt_2'))).toMatchObject({ id: 'evt_2', data: { referralId: 'rfl_bob', nested: { n: 1 } } });
    });

    it('a locking read of the referrer changes its version: a write set decided before another call locked the referrer does not apply', async () => {
      const { store, scope, read } = await seeded();
      const facts = await read((tx) => tx.accruals.read(scope, query('pi_1')));
      await store.transaction(async (tx) => {
        await tx.participants.get(scope, 'alice', { forUpdate: true });
      });
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, facts, 1)))).toBe(false);
      // A shared guard checks the referrer's version too.
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, facts, 1, false)))).toBe(false);
      expect(await read((tx) => tx.events.get(scope, 'purchase', 'pi_1'))).toBeNull();
      // A lock taken in the same transaction, before the read, is the transaction's own: its write set applies.
      const applied = await store.transaction(async (tx) => {
        await tx.participants.get(scope, 'alice', { forUpdate: true });
        const facts = await tx.accruals.read(scope, query('pi_1'));
        return tx.accruals.apply(purchaseWrites(scope, facts, 1));
      });
      expect(applied).toBe(true);
      // A transaction that locked the referrer and then failed changed nothing: the version read after it still holds.
      const now = await read((tx) => tx.accruals.read(scope, query('pi_2')));
      await rejection(
        store.transaction(async (tx) => {
          await tx.participants.get(scope, 'alice', { forUpdate: true });
          throw new Error('boom');
        }),
      );
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, now, 2)))).toBe(true);
    });

    it('an event recorded meanwhile (another referrer’s call, the same event id) is a unique violation of source_event, and nothing of the write set remains', async () => {
      const { store, scope, read } = await seeded();
      await store.transaction((tx) => tx.events.insert(sourceEvent(scope, 'pi_1')));
      const facts = await read((tx) => tx.accruals.read(scope, query('pi_9')));
      const error = await rejection(store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, facts, 1))));
      expect(error).toBeInstanceOf(UniqueViolationError);
      expect((error as UniqueViolationError).constraint).toBe(UNIQUE_CONSTRAINTS.sourceEvent);
      expect(await read((tx) => tx.commissions.listBySource(scope, 'pi_1'))).toEqual([]);
      expect(await read((tx) => tx.balances.get(scope, 'alice'))).toBeNull();
      expect(await read((tx) => tx.referrals.get(scope, 'rfl_bob'))).toMatchObject({ purchaseCount: 0 });
      // The version did not move: a write set decided on it still applies.
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, facts, 2)))).toBe(true);
    });

    it('shared guards: write sets of two referrals decided on the same referrer version both apply; a second one for the same referral does not; an exclusive one after them does not', async () => {
      const { store, scope, read } = await seeded();
      await store.transaction((tx) => tx.referrals.insert(referral(scope, 'rfl_carol', 'carol', 1)));
      const bob = await read((tx) => tx.accruals.read(scope, query('pi_1')));
      const carol = await read((tx) => tx.accruals.read(scope, query('pi_2', 'carol')));
      expect(bob.referrerVersion).toBe(carol.referrerVersion);
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, bob, 1, false)))).toBe(true);
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, carol, 2, false, 'rfl_carol')))).toBe(true);
      // Bob's referral changed: a write set decided on its earlier version does not apply, and writes nothing.
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, bob, 3, false)))).toBe(false);
      expect(await read((tx) => tx.events.get(scope, 'purchase', 'pi_3'))).toBeNull();
      // Shared applies left the referrer's version as it was: an exclusive write set decided on it applies once, and changes it.
      const fresh = await read((tx) => tx.accruals.read(scope, query('pi_3')));
      const carolNow = await read((tx) => tx.accruals.read(scope, query('pi_4', 'carol')));
      expect(fresh.referrerVersion).toBe(bob.referrerVersion);
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, fresh, 3)))).toBe(true);
      // Carol's write set was decided before that exclusive apply: even its shared guard sees the referrer changed.
      expect(await store.transaction((tx) => tx.accruals.apply(purchaseWrites(scope, carolNow, 4, false, 'rfl_carol')))).toBe(false);
      expect(await read((tx) => tx.balances.get(scope, 'alice'))).toMatchObject({ pending: 3 * 490 });
      expect(await read((tx) => tx.referrals.get(scope, 'rfl_carol'))).toMatchObject({ purchaseCount: 2 });
    });
  });

  describe('copies', () => {
    it('a record the store returned and the caller then changed (fields, nested objects, dates) changes nothing stored', async () => {
      const { store, scope, read } = await seeded();
      await store.transaction(async (tx) => {
        await tx.commissions.insert(commission(scope, 'com_1'));
        await tx.audit.append(auditLine(scope, 'aud_1', 'alice'));
        await tx.payoutMethods.put({
          programId: scope.programId,
          mode: scope.mode,
          userId: 'alice',
          method: { type: 'paypal', email: 'alice@example.com' },
          updatedAt: at(0),
        });
        await tx.outbox.insertMany([outboxEvent(scope, 'evt_1')]);
      });
      const load = () =>
        read(async (tx) => ({
          participant: await tx.participants.get(scope, 'alice'),
          commission: await tx.commissions.get(scope, 'com_1'),
          audit: await tx.audit.listByEntity(scope, 'participant', 'alice'),
          payoutMethod: await tx.payoutMethods.get(scope, 'alice'),
          outbox: await tx.outbox.get(scope, 'evt_1'),
        }));
      const expected = await load();
      const returned = await load();
      returned.participant!.status = 'suspended';
      returned.participant!.enrolledAt.setTime(0);
      returned.commission!.calculation.rateBps = 0;
      returned.commission!.availableAt.setTime(0);
      (returned.audit[0]!.data!.nested as { tags: string[] }).tags.push('changed');
      returned.audit[0]!.actor.id = 'mallory';
      (returned.payoutMethod!.method as { email: string }).email = 'mallory@example.com';
      (returned.outbox!.data.nested as { n: number }).n = 2;
      expect(await load()).toEqual(expected);
      expect(expected.participant?.enrolledAt).toEqual(at(0));
    });

    it('a record passed in and changed after its transaction (fields, nested objects, dates, the array it came in) changes nothing stored', async () => {
      const { store, scope, read } = await seeded();
      const olga = participant(scope, 'olga');
      const line = commission(scope, 'com_1');
      const entries = [ledgerEntry(scope, 'led_1', 100)];
      const audit = auditLine(scope, 'aud_1', 'olga');
      const method = { programId: scope.programId, mode: scope.mode, userId: 'alice', method: { type: 'paypal' as const, email: 'alice@example.com' }, updatedAt: at(0) };
      const events = [outboxEvent(scope, 'evt_1')];
      const change = () => {
        olga.status = 'suspended';
        olga.enrolledAt.setTime(0);
        line.calculation.rateBps = 0;
        line.amount = 1;
        entries[0]!.amount = 1;
        entries.push(ledgerEntry(scope, 'led_2', 5));
        (audit.data!.nested as { tags: string[] }).tags.push('changed');
        method.method.email = 'mallory@example.com';
        (events[0]!.data.nested as { n: number }).n = 2;
      };
      const load = (tx: StoreTransaction) =>
        Promise.all([
          tx.participants.get(scope, 'olga'),
          tx.commissions.get(scope, 'com_1'),
          tx.ledger.listByAccount(scope, 'alice', { limit: 10 }),
          tx.audit.listByEntity(scope, 'participant', 'olga'),
          tx.payoutMethods.get(scope, 'alice'),
          tx.outbox.get(scope, 'evt_1'),
        ]);
      const written = [
        participant(scope, 'olga'),
        commission(scope, 'com_1'),
        [ledgerEntry(scope, 'led_1', 100)],
        [auditLine(scope, 'aud_1', 'olga')],
        { ...method, method: { ...method.method } },
        outboxEvent(scope, 'evt_1'),
      ];
      const inside = await store.transaction(async (tx) => {
        await tx.participants.insert(olga);
        await tx.commissions.insert(line);
        await tx.ledger.append(entries);
        await tx.audit.append(audit);
        await tx.payoutMethods.put(method);
        await tx.outbox.insertMany(events);
        return load(tx);
      });
      expect(inside).toEqual(written);
      change();
      expect(await read(load)).toEqual(written);
    });

    it('a record passed in and changed later in the same transaction, before anything is read, changes nothing stored (a store that holds writes back copies them when it takes them)', async () => {
      const { store, scope, read } = await seeded();
      const olga = participant(scope, 'olga');
      const line = commission(scope, 'com_1');
      const audit = auditLine(scope, 'aud_1', 'olga');
      const method = { programId: scope.programId, mode: scope.mode, userId: 'alice', method: { type: 'paypal' as const, email: 'alice@example.com' }, updatedAt: at(0) };
      const written = [participant(scope, 'olga'), commission(scope, 'com_1'), [auditLine(scope, 'aud_1', 'olga')], { ...method, method: { ...method.method } }];
      await store.transaction(async (tx) => {
        await tx.participants.insert(olga);
        await tx.commissions.insert(line);
        await tx.audit.append(audit);
        await tx.payoutMethods.put(method);
        olga.enrolledAt.setTime(0);
        line.calculation.rateBps = 0;
        line.availableAt.setTime(0);
        (audit.data!.nested as { tags: string[] }).tags.push('changed');
        method.method.email = 'mallory@example.com';
      });
      const stored = await read((tx) =>
        Promise.all([
          tx.participants.get(scope, 'olga'),
          tx.commissions.get(scope, 'com_1'),
          tx.audit.listByEntity(scope, 'participant', 'olga'),
          tx.payoutMethods.get(scope, 'alice'),
        ]),
      );
      expect(stored).toEqual(written);
    });
  });

  describe('scopes', () => {
    it('keeps every program and mode apart: the same keys in another scope are other rows', async () => {
      const { store, scope, read } = await seeded();
      const scopes: Scope[] = [{ programId: `${scope.programId}-other`, mode: scope.mode }];
      if (options.supportsLiveMode) scopes.push({ programId: scope.programId, mode: scope.mode === 'live' ? 'mock' : 'live' });
      for (const other of scopes) {
        expect(await read((tx) => tx.participants.get(other, 'alice'))).toBeNull();
        expect(await read((tx) => tx.codes.get(other, 'ALICECODE'))).toBeNull();
        await store.transaction(async (tx) => {
          await tx.participants.insert({ ...participant(other, 'alice'), status: 'suspended' });
          await tx.codes.insert(code(other, 'ALICECODE', 'alice'));
          await tx.referrals.insert(referral(other, 'rfl_bob', 'bob', 0, 'qualified'));
          await tx.audit.append(auditLine(other, 'aud_1', 'alice'));
        });
        expect((await read((tx) => tx.participants.get(other, 'alice')))?.status).toBe('suspended');
        expect(await read((tx) => tx.referrals.listByStatus(other, 'pending', { limit: 10 }))).toEqual([]);
      }
      expect((await read((tx) => tx.participants.get(scope, 'alice')))?.status).toBe('active');
      expect((await read((tx) => tx.referrals.listByStatus(scope, 'pending', { limit: 10 }))).map((r) => r.id)).toEqual(['rfl_bob']);
      expect(await read((tx) => tx.audit.listRecent(scope, { limit: 10 }))).toEqual([]);
    });
  });
}
