import { UniqueViolationError } from '@onehop/core';
import { expect, it } from 'vitest';
import type { Setup } from './money-suite';

/** Transactions as the engine's callers see them: rollback, unique violations, copies. */
export function transactionsSuite(setup: Setup): void {
  it('a transaction that throws leaves nothing behind', async () => {
    const { store, scope, onehop } = await setup();
    const now = new Date();
    await expect(
      store.transaction(async (tx) => {
        await tx.participants.insert({
          programId: scope.programId,
          mode: scope.mode,
          userId: 'ghost',
          email: null,
          emailNormalized: null,
          code: 'GHOST234',
          status: 'active',
          termsVersion: null,
          enrolledAt: now,
          updatedAt: now,
          groupId: null,
          customTerms: null,
        });
        await tx.codes.insert({
          programId: scope.programId,
          mode: scope.mode,
          code: 'GHOST234',
          userId: 'ghost',
          status: 'active',
          vanity: false,
          createdAt: now,
          retiredAt: null,
        });
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
    const row = {
      programId: scope.programId,
      mode: scope.mode,
      code: 'DUPE2345',
      userId: 'a',
      status: 'active' as const,
      vanity: false,
      createdAt: now,
      retiredAt: null,
    };
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
}
