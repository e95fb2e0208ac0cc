import { afterEach, describe, expect, it } from 'vitest';
// The suite uses only the public API, imported by package name, so that a built
// copy of it shares one engine and one set of error classes with its users.
import {
  createManualClock,
  createOnehop,
  OnehopError,
  UniqueViolationError,
  ValidationError,
  type CreateOnehopOptions,
  type ManualClock,
  type Onehop,
  type ProgramConfigInput,
  type Scope,
  type Store,
} from '@onehop/core';
import { adminSuite } from './admin-suite';
import { clicksSuite } from './clicks-suite';
import { erasureSuite, type StoredStrings } from './erasure-suite';
import { dashboardSuite } from './dashboard-suite';
import { fraudSuite, TEST_HASH_KEY } from './fraud-suite';
import { linksSuite } from './links-suite';
import { invitationsSuite } from './invitations-suite';
import { outboxSuite } from './outbox-suite';
import { modelSuite } from './model-suite';
import { moneySuite } from './money-suite';

/** How a store is handed to the conformance suite. */
export interface ConformanceOptions {
  /** Name shown in the test report, e.g. `memory` or `postgres (PGlite)`. */
  name: string;
  /**
   * Returns a store for one test. It may be a fresh store or a shared one:
   * every test uses its own program id, so tests never see each other's rows.
   */
  createStore: () => Store | Promise<Store>;
  /** Called after each test with the store it used (close pools, drop schemas). */
  destroyStore?: (store: Store) => void | Promise<void>;
  /**
   * Whether the store accepts live mode. Memory stores pass `allowLive` for
   * the mode-separation tests; stores that refuse live mode skip them.
   */
  supportsLiveMode?: boolean;
  /** Runs of each property test (fast-check); fewer for slow stores. Default 50. */
  propertyRuns?: number;
  /** Runs of the model-based test (up to 40 random operations each). Default: `propertyRuns`. */
  modelRuns?: number;
  /**
   * Every string value the store holds, read from its storage directly and
   * not through onehop: every text and JSON column of every table
   * (PostgreSQL), every field of every record (memory), JSON as text. The
   * erasure tests search it for a user's personal data after `eraseUser`.
   * A store whose scan misses a place fails the tests' own check that the
   * scan finds the data before erasure.
   */
  storedStrings: StoredStrings;
}

let programCounter = 0;
/** A program id no other test uses, so a shared store keeps tests apart. */
function uniqueProgramId(): string {
  programCounter += 1;
  return `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${programCounter}`;
}

const DEFAULT_ALPHABET = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/**
 * The shared behaviour every onehop store must have. Call it once from a
 * store package's test file:
 *
 * ```ts
 * import { runConformanceSuite } from '@onehop/core/testing';
 * runConformanceSuite({ name: 'memory', createStore: () => createMemoryStore({ allowLive: true }) });
 * ```
 */
export function runConformanceSuite(options: ConformanceOptions): void {
  describe(`store conformance: ${options.name}`, () => {
    const opened: Store[] = [];

    afterEach(async () => {
      for (const store of opened.splice(0)) await options.destroyStore?.(store);
    });

    async function setup(
      program: Partial<ProgramConfigInput> = {},
      extra: Partial<Omit<CreateOnehopOptions, 'store' | 'program'>> = {},
    ): Promise<{ onehop: Onehop; clock: ManualClock; store: Store; scope: Scope }> {
      const store = await options.createStore();
      opened.push(store);
      const clock = createManualClock('2026-03-01T12:00:00.000Z');
      const onehop = createOnehop({
        store,
        clock,
        program: { id: uniqueProgramId(), currency: 'USD', mode: 'mock', privacy: { hashKey: TEST_HASH_KEY }, ...program },
        ...extra,
      });
      return { onehop, clock, store, scope: { programId: onehop.program.id, mode: onehop.mode } };
    }

    /** Every row a program holds, read straight from the store, for "nothing was written" checks. */
    async function snapshot(onehop: Onehop, users: string[]) {
      const scope: Scope = { programId: onehop.program.id, mode: onehop.mode };
      return onehop.store.transaction(async (tx) => ({
        participants: await Promise.all(users.map((u) => tx.participants.get(scope, u))),
        codes: await Promise.all(users.map((u) => tx.codes.listByUser(scope, u))),
        referrals: await Promise.all(users.map((u) => tx.referrals.getByReferee(scope, u))),
        audit: await Promise.all(users.map((u) => tx.audit.listByEntity(scope, 'participant', u))),
      }));
    }

    describe('enrollment', () => {
      it('gives a user one generated code from the unambiguous alphabet', async () => {
        const { onehop } = await setup();
        const { participant, created } = await onehop.enroll({ userId: 'alice', email: 'Alice@Example.com' });
        expect(created).toBe(true);
        expect(participant.code).toMatch(DEFAULT_ALPHABET);
        expect(participant.status).toBe('active');
        expect(participant.email).toBe('Alice@Example.com');
        expect(participant.emailNormalized).toBe('alice@example.com');
        expect(await onehop.getParticipant('alice')).toEqual(participant);
      });

      it('is idempotent: enrolling again returns the same code and writes nothing new', async () => {
        const { onehop } = await setup();
        const first = await onehop.enroll({ userId: 'alice' });
        const before = await snapshot(onehop, ['alice']);
        const again = await onehop.enroll({ userId: 'alice' });
        expect(again.created).toBe(false);
        expect(again.participant.code).toBe(first.participant.code);
        expect(await snapshot(onehop, ['alice'])).toEqual(before);
      });

      it('gives different users different codes', async () => {
        const { onehop } = await setup();
        const codes = new Set<string>();
        for (let i = 0; i < 50; i++) codes.add((await onehop.enroll({ userId: `user-${i}` })).participant.code);
        expect(codes.size).toBe(50);
      });

      it('enrolls one user exactly once when many enrollments race', async () => {
        const { onehop } = await setup();
        const results = await Promise.all(Array.from({ length: 20 }, () => onehop.enroll({ userId: 'racer' })));
        expect(new Set(results.map((r) => r.participant.code)).size).toBe(1);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(await onehop.listCodes('racer')).toHaveLength(1);
      });

      it('retries a generated code that collides and never returns a taken one', async () => {
        const { onehop: first, store } = await setup();
        const taken = (await first.enroll({ userId: 'alice' })).participant.code;
        const candidates = [taken, taken, 'NEWCODE2'];
        const onehop = createOnehop({ store, program: { id: first.program.id, currency: 'USD', mode: 'mock' }, generateCode: () => candidates.shift() ?? 'NEWCODE3' });
        const { participant } = await onehop.enroll({ userId: 'bob' });
        expect(participant.code).toBe('NEWCODE2');
        expect((await onehop.resolveCode(taken))?.userId).toBe('alice');
      });

      it('gives up with a typed error when no free code can be found, writing nothing', async () => {
        const { onehop: first, store } = await setup();
        const taken = (await first.enroll({ userId: 'alice' })).participant.code;
        const onehop = createOnehop({ store, program: { id: first.program.id, currency: 'USD', mode: 'mock' }, generateCode: () => taken });
        await expect(onehop.enroll({ userId: 'bob' })).rejects.toMatchObject({ code: 'CODE_GENERATION_EXHAUSTED', retryable: true });
        expect(await onehop.getParticipant('bob')).toBeNull();
      });

      it('requires the current terms version when the program says so, and records it', async () => {
        const { onehop } = await setup({ terms: { currentVersion: '2026-03', requireCurrent: true } });
        await expect(onehop.enroll({ userId: 'alice' })).rejects.toMatchObject({ code: 'TERMS_NOT_ACCEPTED', field: 'acceptedTermsVersion' });
        await expect(onehop.enroll({ userId: 'alice', acceptedTermsVersion: '2025-01' })).rejects.toMatchObject({ code: 'TERMS_NOT_ACCEPTED' });
        expect(await onehop.getParticipant('alice')).toBeNull();
        const { participant } = await onehop.enroll({ userId: 'alice', acceptedTermsVersion: '2026-03' });
        expect(participant.termsVersion).toBe('2026-03');
        const updated = await onehop.acceptTerms({ userId: 'alice', version: '2026-09' });
        expect(updated.termsVersion).toBe('2026-09');
        expect((await onehop.getParticipant('alice'))?.termsVersion).toBe('2026-09');
      });

      it('records the terms version without requiring it when the program does not', async () => {
        const { onehop } = await setup({ terms: { currentVersion: 'v2' } });
        expect((await onehop.enroll({ userId: 'a' })).participant.termsVersion).toBeNull();
        expect((await onehop.enroll({ userId: 'b', acceptedTermsVersion: 'v2' })).participant.termsVersion).toBe('v2');
      });

      it('audits the enrollment', async () => {
        const { onehop } = await setup();
        const { participant } = await onehop.enroll({ userId: 'alice' });
        const trail = await onehop.auditTrail('participant', 'alice');
        expect(trail).toHaveLength(1);
        expect(trail[0]).toMatchObject({ action: 'participant.enrolled', after: 'active', actor: { type: 'user', id: 'alice' }, data: { code: participant.code } });
      });
    });

    describe('vanity codes', () => {
      it('normalises and grants a free vanity code', async () => {
        const { onehop } = await setup();
        const { participant } = await onehop.enroll({ userId: 'alice', code: ' alice-2026 ' });
        expect(participant.code).toBe('ALICE2026');
        expect((await onehop.listCodes('alice'))[0]).toMatchObject({ code: 'ALICE2026', vanity: true, status: 'active' });
      });

      it('refuses a code taken by someone else, whatever its case', async () => {
        const { onehop } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'SUNSHINE' });
        await expect(onehop.enroll({ userId: 'bob', code: 'sun-shine' })).rejects.toMatchObject({ code: 'CODE_TAKEN', field: 'code' });
        expect(await onehop.getParticipant('bob')).toBeNull();
      });

      it('refuses reserved words, built-in and the program\'s own', async () => {
        const { onehop } = await setup({ codes: { reservedWords: ['acme'] } });
        await expect(onehop.enroll({ userId: 'a', code: 'admin' })).rejects.toMatchObject({ code: 'CODE_RESERVED' });
        await expect(onehop.enroll({ userId: 'a', code: 'Acme' })).rejects.toMatchObject({ code: 'CODE_RESERVED' });
        expect(await onehop.getParticipant('a')).toBeNull();
      });

      it('refuses codes of the wrong length or characters', async () => {
        const { onehop } = await setup();
        for (const code of ['AB', 'X'.repeat(33), 'bad!code', '<script>', 'ÄRGER']) {
          await expect(onehop.enroll({ userId: 'a', code })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'code' });
        }
        expect(await onehop.getParticipant('a')).toBeNull();
      });

      it('refuses a different vanity code for an enrolled user and points to replaceCode', async () => {
        const { onehop } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'FIRSTONE' });
        await expect(onehop.enroll({ userId: 'alice', code: 'SECONDONE' })).rejects.toMatchObject({ code: 'ALREADY_ENROLLED' });
        expect((await onehop.enroll({ userId: 'alice', code: 'first-one' })).created).toBe(false);
      });
    });

    describe('lookup', () => {
      it('finds a code whatever its case, spaces and hyphens', async () => {
        const { onehop } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'ABCDEFGH' });
        for (const typed of ['abcd-efgh', ' AbCd EfGh ', 'abcdefgh', 'ABCD–EFGH']) {
          expect(await onehop.resolveCode(typed)).toEqual({ code: 'ABCDEFGH', userId: 'alice', status: 'active', currentCode: 'ABCDEFGH' });
        }
        expect(await onehop.resolveCode('ABCDEFGX')).toBeNull();
        expect(await onehop.resolveCode('--')).toBeNull();
      });
    });

    describe('retired codes', () => {
      it('replacing a code retires the old one, which keeps resolving to the same user', async () => {
        const { onehop, clock } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'OLDCODE' });
        clock.advanceDays(1);
        const { participant, retiredCode } = await onehop.replaceCode({ userId: 'alice', newCode: 'newcode', adminId: 'admin-1', reason: 'rebrand' });
        expect(retiredCode).toBe('OLDCODE');
        expect(participant.code).toBe('NEWCODE');
        expect(await onehop.resolveCode('oldcode')).toEqual({ code: 'OLDCODE', userId: 'alice', status: 'retired', currentCode: 'NEWCODE' });
        expect(await onehop.resolveCode('newcode')).toMatchObject({ userId: 'alice', status: 'active' });
        const codes = await onehop.listCodes('alice');
        expect(codes.map((c) => [c.code, c.status])).toEqual([['OLDCODE', 'retired'], ['NEWCODE', 'active']]);
        expect(codes[0]?.retiredAt).toEqual(clock.now());
        const trail = await onehop.auditTrail('code', 'OLDCODE');
        expect(trail[0]).toMatchObject({ action: 'code.retired', before: 'active', after: 'retired', reason: 'rebrand', actor: { type: 'admin', id: 'admin-1' } });
      });

      it('never gives a retired code to anyone else', async () => {
        const { onehop } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'OLDCODE' });
        await onehop.replaceCode({ userId: 'alice', adminId: 'admin-1', reason: 'leaked' });
        await expect(onehop.enroll({ userId: 'bob', code: 'OLDCODE' })).rejects.toMatchObject({ code: 'CODE_TAKEN' });
        await onehop.enroll({ userId: 'carol' });
        await expect(onehop.replaceCode({ userId: 'carol', newCode: 'old-code', adminId: 'a', reason: 'want it' })).rejects.toMatchObject({ code: 'CODE_TAKEN', field: 'newCode' });
        expect((await onehop.getParticipant('carol'))?.code).not.toBe('OLDCODE');
      });

      it('a generated replacement code is new and valid', async () => {
        const { onehop } = await setup();
        const { participant: before } = await onehop.enroll({ userId: 'alice' });
        const { participant } = await onehop.replaceCode({ userId: 'alice', adminId: 'admin-1', reason: 'shared publicly' });
        expect(participant.code).toMatch(DEFAULT_ALPHABET);
        expect(participant.code).not.toBe(before.code);
      });

      it('a sign-up with a retired code is attributed to its owner', async () => {
        const { onehop } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'OLDCODE' });
        await onehop.replaceCode({ userId: 'alice', adminId: 'admin-1', reason: 'rebrand' });
        const result = await onehop.attribute({ refereeId: 'bob', code: 'oldcode' });
        expect(result).toMatchObject({ ok: true, referral: { referrerId: 'alice', code: 'OLDCODE' } });
      });

      it('replacing the code of an unknown user fails and writes nothing', async () => {
        const { onehop } = await setup();
        await expect(onehop.replaceCode({ userId: 'ghost', adminId: 'a', reason: 'x' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
        expect(await onehop.listCodes('ghost')).toEqual([]);
      });
    });

    describe('attribution', () => {
      async function withReferrer(program: Partial<ProgramConfigInput> = {}) {
        const ctx = await setup(program);
        const { participant } = await ctx.onehop.enroll({ userId: 'alice', email: 'alice.smith@gmail.com', code: 'ALICE123' });
        return { ...ctx, referrer: participant };
      }

      it('attributes a sign-up to the code owner as a pending referral', async () => {
        const { onehop, clock } = await withReferrer();
        const clickedAt = new Date(clock.now().getTime() - 3_600_000);
        const result = await onehop.attribute({ refereeId: 'bob', code: 'alice-123', email: 'bob@example.com', source: 'newsletter', clickedAt, ip: '203.0.113.9' });
        if (!result.ok) throw new Error(`expected success, got ${result.reason}`);
        expect(result.referral).toMatchObject({ referrerId: 'alice', refereeId: 'bob', code: 'ALICE123', status: 'pending', source: 'newsletter', clickedAt, attributedAt: clock.now() });
        expect(await onehop.getReferralByReferee('bob')).toEqual(result.referral);
        expect(await onehop.listReferrals('alice')).toEqual([result.referral]);
        const trail = await onehop.auditTrail('referral', result.referral.id);
        expect(trail[0]).toMatchObject({ action: 'referral.created', after: 'pending' });
      });

      async function expectRejected(onehop: Onehop, input: Parameters<Onehop['attribute']>[0], reason: string) {
        const result = await onehop.attribute(input);
        expect(result).toMatchObject({ ok: false, reason });
        // Nothing but an audit record of the attempt.
        expect(await onehop.getReferralByReferee(input.refereeId)).toBeNull();
        const trail = await onehop.auditTrail('attribution_attempt', input.refereeId);
        expect(trail.at(-1)).toMatchObject({ action: 'attribution.rejected', reason });
        return result;
      }

      it('a refused attribution writes one audit line and nothing else; a fraud rule’s refusal also emits fraud.flagged', async () => {
        const { onehop } = await withReferrer({ fraud: { ipMatch: false, ipVelocity: { max: 1, windowHours: 1, action: 'reject' } } } as Partial<ProgramConfigInput>);
        const eventsBefore = (await onehop.listEvents({ status: 'pending', limit: 1000 })).length;
        expect(await onehop.attribute({ refereeId: 'bob', code: 'NOPE2345' })).toMatchObject({ ok: false, reason: 'UNKNOWN_CODE' });
        expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([expect.objectContaining({ action: 'attribution.rejected', reason: 'UNKNOWN_CODE' })]);
        expect(await onehop.listEvents({ status: 'pending', limit: 1000 })).toHaveLength(eventsBefore);
        // A fraud rule: the second sign-up from one IP within the hour.
        expect((await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', ip: '203.0.113.70' })).ok).toBe(true);
        const afterFirst = await onehop.listEvents({ status: 'pending', limit: 1000 });
        expect(await onehop.attribute({ refereeId: 'dan', code: 'ALICE123', ip: '203.0.113.70' })).toMatchObject({ ok: false, reason: 'IP_VELOCITY' });
        expect(await onehop.auditTrail('attribution_attempt', 'dan')).toEqual([expect.objectContaining({ action: 'attribution.rejected', reason: 'IP_VELOCITY' })]);
        const added = (await onehop.listEvents({ status: 'pending', limit: 1000 })).slice(afterFirst.length);
        expect(added).toEqual([expect.objectContaining({ type: 'fraud.flagged', subjectId: 'alice', entityType: 'attribution_attempt', entityId: 'dan', data: { action: 'reject', rule: 'velocity', reason: 'IP_VELOCITY' } })]);
        // No referral, no count.
        expect(await onehop.getReferralByReferee('dan')).toBeNull();
        expect((await onehop.referrerOverview({ userId: 'alice' })).referrals).toMatchObject({ total: 1 });
      });

      it('rejects an unknown code', async () => {
        const { onehop } = await withReferrer();
        await expectRejected(onehop, { refereeId: 'bob', code: 'NOPE2345' }, 'UNKNOWN_CODE');
      });

      it('rejects a code whose owner is suspended, and accepts it again after reinstatement', async () => {
        const { onehop } = await withReferrer();
        await onehop.suspendParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'investigation' });
        await expectRejected(onehop, { refereeId: 'bob', code: 'ALICE123' }, 'REFERRER_INACTIVE');
        await onehop.reinstateParticipant({ userId: 'alice', adminId: 'admin-1', reason: 'cleared' });
        expect((await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })).ok).toBe(true);
        const actions = (await onehop.auditTrail('participant', 'alice')).map((a) => a.action);
        expect(actions).toEqual(['participant.enrolled', 'participant.suspended', 'participant.reinstated']);
      });

      it('rejects self-referral by user id', async () => {
        const { onehop } = await withReferrer();
        const result = await expectRejected(onehop, { refereeId: 'alice', code: 'ALICE123' }, 'SELF_REFERRAL');
        expect(result).toMatchObject({ details: { match: 'user_id' } });
      });

      it('rejects self-referral by the same normalised email', async () => {
        const { onehop } = await withReferrer();
        const result = await expectRejected(onehop, { refereeId: 'alice-2', code: 'ALICE123', email: 'Alice.Smith+promo@googlemail.com' }, 'SELF_REFERRAL');
        expect(result).toMatchObject({ details: { match: 'email' } });
      });

      it('accepts a referee whose email differs, and one with no email', async () => {
        const { onehop } = await withReferrer();
        expect((await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', email: 'alice.smith@example.com' })).ok).toBe(true);
        expect((await onehop.attribute({ refereeId: 'carol', code: 'ALICE123' })).ok).toBe(true);
      });

      it('rejects a click older than the attribution window, accepts one on its edge', async () => {
        const { onehop, clock } = await withReferrer({ attribution: { windowDays: 30 } });
        const day = 86_400_000;
        await expectRejected(onehop, { refereeId: 'bob', code: 'ALICE123', clickedAt: new Date(clock.now().getTime() - 30 * day - 1) }, 'CLICK_EXPIRED');
        expect((await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', clickedAt: new Date(clock.now().getTime() - 30 * day) })).ok).toBe(true);
      });

      it('rejects a second attribution of a referee; the first stands', async () => {
        const { onehop } = await withReferrer();
        await onehop.enroll({ userId: 'dave', code: 'DAVE1234' });
        const first = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
        const result = await onehop.attribute({ refereeId: 'bob', code: 'DAVE1234' });
        expect(result).toMatchObject({ ok: false, reason: 'DUPLICATE_REFEREE', details: { existingReferrerId: 'alice' } });
        expect(await onehop.getReferralByReferee('bob')).toEqual(first.ok ? first.referral : null);
        expect(await onehop.listReferrals('dave')).toEqual([]);
      });

      it('answers a repeated attribution with the same code as the first one did (replayed), writing nothing', async () => {
        const { onehop } = await withReferrer();
        const first = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', source: 'newsletter' });
        expect(first).toMatchObject({ ok: true, replayed: false, review: null });
        const trail = await onehop.auditTrail('referral', first.ok ? first.referral.id : '');
        const events = await onehop.listEvents({ status: 'pending' });
        // A caller whose first call lost its reply runs it again: same answer, typed the same way.
        const again = await onehop.attribute({ refereeId: 'bob', code: 'alice-123', source: 'newsletter' });
        expect(again).toEqual({ ...first, replayed: true });
        expect(await onehop.listReferrals('alice')).toHaveLength(1);
        expect(await onehop.auditTrail('referral', first.ok ? first.referral.id : '')).toEqual(trail);
        expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([]);
        expect(await onehop.listEvents({ status: 'pending' })).toEqual(events);
        // Another referrer's code is still refused: the first attribution stands.
        await onehop.enroll({ userId: 'dave', code: 'DAVE1234' });
        expect(await onehop.attribute({ refereeId: 'bob', code: 'DAVE1234' })).toMatchObject({ ok: false, reason: 'DUPLICATE_REFEREE', details: { existingReferrerId: 'alice' } });
      });

      it('answers a replay before any rule that the first attribution itself changed (velocity, click window)', async () => {
        const { onehop, clock } = await withReferrer({ attribution: { windowDays: 1 }, fraud: { referrerVelocity: { max: 1, windowHours: 1, action: 'reject' } } });
        const clickedAt = clock.now();
        const first = await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt });
        expect(first).toMatchObject({ ok: true, replayed: false });
        // The referrer is now at the velocity limit, and later the click leaves the window: the repeat still answers as the first call did.
        expect(await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt })).toMatchObject({ ok: true, replayed: true, referral: { id: first.ok ? first.referral.id : '' } });
        clock.advanceDays(2);
        expect(await onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt })).toMatchObject({ ok: true, replayed: true });
        expect(await onehop.attribute({ refereeId: 'carol', code: 'ALICE123', clickedAt })).toMatchObject({ ok: false, reason: 'CLICK_EXPIRED' });
      });

      it('answers every one of many identical racing attributions: one makes the referral, the others replay it', async () => {
        const { onehop } = await withReferrer();
        const results = await Promise.all(Array.from({ length: 8 }, () => onehop.attribute({ refereeId: 'bob', code: 'ALICE123' })));
        expect(results.every((r) => r.ok)).toBe(true);
        expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
        expect(new Set(results.map((r) => (r.ok ? r.referral.id : null))).size).toBe(1);
        expect(await onehop.listReferrals('alice')).toHaveLength(1);
      });

      it('credits only the direct referrer: there is no chain', async () => {
        const { onehop } = await withReferrer();
        const bob = (await onehop.enroll({ userId: 'bob' })).participant;
        await onehop.attribute({ refereeId: 'bob', code: 'ALICE123' });
        const result = await onehop.attribute({ refereeId: 'carol', code: bob.code });
        expect(result).toMatchObject({ ok: true, referral: { referrerId: 'bob', refereeId: 'carol' } });
        expect((await onehop.listReferrals('alice')).map((r) => r.refereeId)).toEqual(['bob']);
        expect((await onehop.listReferrals('bob')).map((r) => r.refereeId)).toEqual(['carol']);
      });

      it('attributes one referee exactly once when attributions with different codes race', async () => {
        const { onehop } = await withReferrer();
        const codes = ['ALICE123'];
        for (let i = 0; i < 7; i++) codes.push((await onehop.enroll({ userId: `ref-${i}` })).participant.code);
        const results = await Promise.all(codes.map((code) => onehop.attribute({ refereeId: 'bob', code })));
        const won = results.filter((r) => r.ok);
        expect(won).toHaveLength(1);
        expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'DUPLICATE_REFEREE')).toBe(true);
        const stored = await onehop.getReferralByReferee('bob');
        expect(stored?.id).toBe(won[0]?.ok ? won[0].referral.id : undefined);
      });
    });

    describe('links', () => {
      it('builds a user\'s link with the program parameter and UTM, and parses it back', async () => {
        const { onehop } = await setup({ links: { parameter: 'via' } });
        await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
        const link = await onehop.linkFor({ userId: 'alice', baseUrl: 'https://app.example/join?lang=en', utm: { source: 'x', campaign: 'spring' } });
        expect(link).toBe('https://app.example/join?lang=en&via=ALICE123&utm_source=x&utm_campaign=spring');
        expect(onehop.parseLink(link)).toEqual({ code: 'ALICE123', utm: { source: 'x', campaign: 'spring' } });
        await expect(onehop.linkFor({ userId: 'ghost', baseUrl: 'https://app.example' })).rejects.toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
      });
    });

    describe('transactions', () => {
      it('a transaction that throws leaves nothing behind', async () => {
        const { store, scope, onehop } = await setup();
        const now = new Date();
        await expect(
          store.transaction(async (tx) => {
            await tx.participants.insert({ programId: scope.programId, mode: scope.mode, userId: 'ghost', email: null, emailNormalized: null, code: 'GHOST234', status: 'active', termsVersion: null, enrolledAt: now, updatedAt: now });
            await tx.codes.insert({ programId: scope.programId, mode: scope.mode, code: 'GHOST234', userId: 'ghost', status: 'active', vanity: false, createdAt: now, retiredAt: null });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await onehop.getParticipant('ghost')).toBeNull();
        expect(await onehop.resolveCode('GHOST234')).toBeNull();
        // The names are free again.
        expect((await onehop.enroll({ userId: 'ghost', code: 'GHOST234' })).created).toBe(true);
      });

      it('an update rolled back is undone', async () => {
        const { store, scope, onehop } = await setup();
        await onehop.enroll({ userId: 'alice' });
        await expect(
          store.transaction(async (tx) => {
            await tx.participants.update(scope, 'alice', { status: 'suspended' });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect((await onehop.getParticipant('alice'))?.status).toBe('active');
      });

      it('reports a unique violation with the constraint name and keeps the first row', async () => {
        const { onehop, store, scope } = await setup();
        // Codes belong to participants (the Postgres store enforces it with a foreign key).
        await onehop.enroll({ userId: 'a' });
        await onehop.enroll({ userId: 'b' });
        const now = new Date();
        const row = { programId: scope.programId, mode: scope.mode, code: 'DUPE2345', userId: 'a', status: 'active' as const, vanity: false, createdAt: now, retiredAt: null };
        await store.transaction((tx) => tx.codes.insert(row));
        const error = await store.transaction((tx) => tx.codes.insert({ ...row, userId: 'b' })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UniqueViolationError);
        expect((error as UniqueViolationError).constraint).toBe('code_value');
        expect(await store.transaction((tx) => tx.codes.get(scope, 'DUPE2345'))).toMatchObject({ userId: 'a' });
      });

      it('returns copies: changing a returned record changes nothing stored', async () => {
        const { onehop } = await setup();
        const { participant } = await onehop.enroll({ userId: 'alice' });
        participant.status = 'suspended';
        expect((await onehop.getParticipant('alice'))?.status).toBe('active');
      });
    });

    describe('programs and modes', () => {
      it('keeps programs apart on one store', async () => {
        const { onehop, store } = await setup();
        const other = createOnehop({ store, program: { id: `${onehop.program.id}-other`, currency: 'EUR', mode: 'mock' } });
        await onehop.enroll({ userId: 'alice', code: 'SAMECODE' });
        expect(await other.getParticipant('alice')).toBeNull();
        expect(await other.resolveCode('SAMECODE')).toBeNull();
        expect((await other.enroll({ userId: 'zed', code: 'SAMECODE' })).created).toBe(true);
      });

      it.skipIf(options.supportsLiveMode === false)('takes the default mode from NODE_ENV when createOnehop runs: changing it later does not switch an engine', async () => {
        const { onehop, store } = await setup();
        const saved = process.env.NODE_ENV;
        try {
          process.env.NODE_ENV = 'production';
          const created = createOnehop({ store, program: { id: `${onehop.program.id}-env`, currency: 'USD' } });
          expect(created.mode).toBe('live');
          process.env.NODE_ENV = 'development';
          expect(created.mode).toBe('live');
          expect(createOnehop({ store, program: { id: `${onehop.program.id}-env`, currency: 'USD' } }).mode).toBe('mock');
          // The env option, when given, is read instead of process.env.
          expect(createOnehop({ store, program: { id: `${onehop.program.id}-env`, currency: 'USD' }, env: { NODE_ENV: 'production' } }).mode).toBe('live');
        } finally {
          if (saved === undefined) delete process.env.NODE_ENV;
          else process.env.NODE_ENV = saved;
        }
      });

      it.skipIf(options.supportsLiveMode === false)('keeps mock rows out of live mode', async () => {
        const { onehop: mock, store } = await setup({ mode: 'mock' });
        const live = createOnehop({ store, program: { id: mock.program.id, currency: 'USD', mode: 'live' } });
        expect(live.mode).toBe('live');
        await mock.enroll({ userId: 'alice', code: 'MOCKCODE' });
        await mock.attribute({ refereeId: 'bob', code: 'MOCKCODE' });
        expect(await live.getParticipant('alice')).toBeNull();
        expect(await live.resolveCode('MOCKCODE')).toBeNull();
        expect(await live.getReferralByReferee('bob')).toBeNull();
      });
    });

    moneySuite((program) => setup(program), {
      propertyRuns: options.propertyRuns ?? 50,
      supportsLiveMode: options.supportsLiveMode !== false,
    });
    modelSuite((program) => setup(program), { propertyRuns: options.modelRuns ?? options.propertyRuns ?? 50 });
    fraudSuite((program) => setup(program), { propertyRuns: options.propertyRuns ?? 50 });
    adminSuite((program) => setup(program));
    clicksSuite((program) => setup(program));
    linksSuite((program) => setup(program));
    outboxSuite(setup);
    invitationsSuite(setup);
    erasureSuite(setup, options.storedStrings);
    dashboardSuite((program) => setup(program), { propertyRuns: options.propertyRuns ?? 50 });

    describe('input validation', () => {
      it('bad input to every public method throws a typed error naming the field, and writes nothing', async () => {
        const { onehop } = await setup();
        await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
        const before = await snapshot(onehop, ['alice', 'bob', '']);
        const cases: [() => Promise<unknown>, string][] = [
          [() => onehop.enroll({ userId: '' }), 'userId'],
          [() => onehop.enroll({ userId: 'bob', email: 'not-an-email' }), 'email'],
          [() => onehop.enroll({ userId: 'bob', extra: 1 } as never), ''],
          [() => onehop.acceptTerms({ userId: 'alice', version: '' }), 'version'],
          [() => onehop.getParticipant(42 as never), 'userId'],
          [() => onehop.replaceCode({ userId: 'alice', adminId: 'admin', reason: ' ' }), 'reason'],
          [() => onehop.replaceCode({ userId: 'alice', adminId: '', reason: 'x' }), 'adminId'],
          [() => onehop.suspendParticipant({ userId: 'alice', adminId: 'admin' } as never), 'reason'],
          [() => onehop.resolveCode(''), 'code'],
          [() => onehop.attribute({ refereeId: 'bob', code: '' }), 'code'],
          [() => onehop.attribute({ refereeId: 'bob', code: '---' }), 'code'],
          [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', ip: '999.1.1.1' }), 'ip'],
          [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt: 'yesterday' }), 'clickedAt'],
          [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', clickedAt: new Date(Date.parse('2026-03-02T00:00:00Z')) }), 'clickedAt'],
          [() => onehop.attribute({ refereeId: 'bob', code: 'ALICE123', email: 'x' }), 'email'],
          [() => onehop.listReferrals('alice', { limit: 0 }), 'limit'],
          [() => onehop.linkFor({ userId: 'alice', baseUrl: 'javascript:alert(1)' }), 'baseUrl'],
          [() => onehop.auditTrail('nonsense' as never, 'alice'), 'entityType'],
          [() => onehop.recordPurchase({ eventId: '', refereeId: 'bob', amount: 100, currency: 'USD', occurredAt: new Date() }), 'eventId'],
          [() => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: -5, currency: 'USD', occurredAt: new Date() }), 'amount'],
          [() => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: 100, currency: 'usd', occurredAt: new Date() }), 'currency'],
          [() => onehop.recordPurchase({ eventId: 'e', refereeId: 'bob', amount: 100, currency: 'USD', occurredAt: 'soon' }), 'occurredAt'],
          [() => onehop.recordRefund({ eventId: 'r', purchaseEventId: 'e', amount: 0 }), 'amount'],
          [() => onehop.recordChargeback({ eventId: 'c', purchaseEventId: '', amount: 1 }), 'purchaseEventId'],
          [() => onehop.approveDue({ limit: 0 }), 'limit'],
          [() => onehop.recordSignIn({ userId: 'alice' }), 'ip'],
          [() => onehop.recordSignIn({ userId: 'alice', ip: 'nope' }), 'ip'],
          [() => onehop.listReviews({ status: 'maybe' as never }), 'status'],
          [() => onehop.decideReview({ reviewId: 'rev_1', decision: 'later' as never, adminId: 'admin', reason: 'x' }), 'decision'],
          [() => onehop.decideReview({ reviewId: 'rev_1', decision: 'approve', adminId: 'admin', reason: '' }), 'reason'],
          [() => onehop.rejectReferral({ referralId: 'rfl_1', adminId: '', reason: 'x' }), 'adminId'],
          [() => onehop.recentActivity({ limit: 0 }), 'limit'],
          [() => onehop.eraseUser({ userId: 'alice', adminId: 'admin' } as never), 'reason'],
          [() => onehop.rejectCommission({ commissionId: 'com_1', adminId: 'admin', reason: '' }), 'reason'],
          [() => onehop.adjustBalance({ userId: 'alice', amount: 1.5, adminId: 'admin', reason: 'x' }), 'amount'],
          [() => onehop.setPayoutMethod({ userId: 'alice', method: { type: 'paypal', email: 'nope' } }), 'method.email'],
          [() => onehop.requestPayout({ userId: 'alice', amount: 0 }), 'amount'],
          [() => onehop.approvePayout({ payoutId: '', adminId: 'admin' }), 'payoutId'],
          [() => onehop.rejectPayout({ payoutId: 'pay_1', adminId: 'admin' } as never), 'reason'],
          [() => onehop.markPayoutPaid({ payoutId: 'pay_1', adminId: 'admin', externalReference: ' ' }), 'externalReference'],
          [() => onehop.getBalances(''), 'userId'],
          [() => onehop.listLedger('alice', { limit: 5000 }), 'limit'],
          [() => onehop.listCommissions(''), 'userId'],
          [() => onehop.getCommission(''), 'commissionId'],
          [() => onehop.getPayout(''), 'payoutId'],
          [() => onehop.listPayouts('alice', { limit: -1 }), 'limit'],
          [() => onehop.getPayoutMethod(''), 'userId'],
          [() => onehop.recordClick({ code: '' }), 'code'],
          [() => onehop.recordClick({ code: 'ALICE123', landingUrl: 'javascript:alert(1)' }), 'landingUrl'],
          [() => onehop.recordClick({ code: 'ALICE123', ip: '10.0.0.300' }), 'ip'],
          [() => onehop.recordClick({ code: 'ALICE123', source: 'x'.repeat(101) }), 'source'],
          [() => onehop.listClicks({ userId: 'alice', limit: 0 }), 'limit'],
          [() => onehop.referrerOverview({ userId: '' }), 'userId'],
          [() => onehop.commissionHistory({ userId: 'alice', status: 'lost' as never }), 'status'],
          [() => onehop.ledgerHistory({ userId: 'alice', from: new Date('2026-03-02'), to: new Date('2026-03-01') }), 'to'],
          [() => onehop.tierProgress({ userId: 42 as never }), 'userId'],
          [() => onehop.performance({ granularity: 'hour' as never, from: new Date('2026-03-01'), to: new Date('2026-03-02') }), 'granularity'],
          [() => onehop.performance({ from: new Date('2020-01-01'), to: new Date('2026-03-02') }), 'to'],
          [() => onehop.refereeStatus({ refereeId: '' }), 'refereeId'],
          [() => onehop.programOverview({ from: 'never' as never, to: new Date() }), 'from'],
          [() => onehop.referralsByStatus({ status: 'maybe' as never }), 'status'],
          [() => onehop.topReferrers({ from: new Date('2026-03-01') }), 'to'],
          [() => onehop.funnel({ from: new Date('2026-03-02'), to: new Date('2026-03-02') }), 'to'],
          [() => onehop.statement({ userId: 'alice', from: new Date('2026-03-01') } as never), 'to'],
          [() => onehop.taxExport({ year: 26 }), 'year'],
        ];
        for (const [call, field] of cases) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, `expected ValidationError for ${field}`).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
          expect((error as ValidationError).field).toBe(field);
          expect(error).toBeInstanceOf(OnehopError);
        }
        expect(await snapshot(onehop, ['alice', 'bob', ''])).toEqual(before);
        expect(await onehop.auditTrail('attribution_attempt', 'bob')).toEqual([]);
        expect(await onehop.listLedger('alice')).toEqual([]);
        expect(await onehop.getPayoutMethod('alice')).toBeNull();
        expect(await onehop.listClicks({ userId: 'alice' })).toEqual([]);
      });
    });
  });
}
