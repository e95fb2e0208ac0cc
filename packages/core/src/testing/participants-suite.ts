import { createOnehop } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import type { Setup } from './money-suite';
import { snapshot } from './snapshot';

const DEFAULT_ALPHABET = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/** Participants and their codes: enrollment, vanity codes, lookup, retired codes. */
export function participantsSuite(setup: Setup): void {
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

    it("refuses reserved words, built-in and the program's own", async () => {
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
      expect(codes.map((c) => [c.code, c.status])).toEqual([
        ['OLDCODE', 'retired'],
        ['NEWCODE', 'active'],
      ]);
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
      await expect(onehop.replaceCode({ userId: 'carol', newCode: 'old-code', adminId: 'a', reason: 'want it' })).rejects.toMatchObject({
        code: 'CODE_TAKEN',
        field: 'newCode',
      });
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
}
