/**
 * A group move or new participant terms apply to the accruals decided after
 * them, also to a purchase that was read before and applies after: the move
 * locks the participant, which changes the version the purchase's write set
 * is guarded by, so the purchase is decided again on the new terms.
 * Store-only, on a real server: the interleaving (a move committing between
 * one call's read and its apply) is forced by holding the call's statements
 * back at the driver, and only a store whose calls run side by side can have
 * it; the memory store runs calls one at a time.
 * Needs DATABASE_URL; without it the tests skip and say why.
 */
import { createManualClock, createOnehop, type Onehop, type ProgramConfigInput } from '@onehop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PoolLike } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, poolAround, type ServerDatabase, serverDatabase } from './databases';

let programs = 0;
const AT = new Date('2026-03-15T12:00:00.000Z');

describe.skipIf(!DATABASE_URL)(`a group move racing a purchase (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    db = await serverDatabase('groupmove', 8, DATABASE_URL);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const program = (id: string): ProgramConfigInput => ({
    id,
    currency: 'USD',
    mode: 'mock',
    commission: { rule: { type: 'percentage', rateBps: 1_000, scope: { type: 'lifetime' } } },
    groups: { reps: { commission: { rule: { type: 'percentage', rateBps: 500, scope: { type: 'lifetime' } } } } },
  });
  const engineOn = (pool: PoolLike, id: string) =>
    createOnehop({ store: createPostgresStore({ pool, schema: db.schema }), clock: createManualClock(AT), program: program(id) });

  /** Bob's purchase, held after its first read until `between` (on another engine of the same program) has committed. */
  async function purchaseAround(between: (admin: Onehop) => Promise<unknown>, purchases = 1) {
    const id = `groupmove-${Date.now().toString(36)}-${++programs}`;
    const admin = engineOn(db.pool, id);
    const { participant } = await admin.enroll({ userId: 'alice' });
    await admin.attribute({ refereeId: 'bob', code: participant.code });
    for (let i = 1; i < purchases; i++) await admin.recordPurchase({ eventId: `pi_before_${i}`, refereeId: 'bob', amount: 10_000, currency: 'USD', occurredAt: AT });
    let holding = true;
    let readDone!: () => void;
    const firstRead = new Promise<void>((resolve) => (readDone = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const reads: string[] = [];
    const held = poolAround(db.pool, async (text, send) => {
      const result = await send();
      if (text.includes('p.xmin::text AS p_version')) {
        reads.push('read');
        if (holding) {
          holding = false;
          readDone();
          await released;
        }
      }
      return result;
    });
    const call = engineOn(held, id).recordPurchase({ eventId: 'pi_bob', refereeId: 'bob', amount: 10_000, currency: 'USD', occurredAt: AT });
    await firstRead;
    await between(admin);
    release();
    return { result: await call, reads };
  }

  it('a move committed between a purchase’s read and its apply: the purchase is decided again, by the new group', async () => {
    const { result, reads } = await purchaseAround((admin) => admin.moveToGroup({ userId: 'alice', groupId: 'reps', adminId: 'boss', reason: 'sales team' }));
    expect(result).toMatchObject({ status: 'recorded', commissions: [{ amount: 500, calculation: { group: 'reps', rateBps: 500 } }] });
    expect(reads).toEqual(['read', 'read']);
  });

  it('new terms committed between a later purchase’s read and its apply (a shared guard): decided again, at the new rate', async () => {
    const { result, reads } = await purchaseAround(
      (admin) => admin.setParticipantTerms({ userId: 'alice', terms: { rateBps: 2_000 }, adminId: 'boss', reason: 'negotiated' }),
      2,
    );
    expect(result).toMatchObject({ status: 'recorded', commissions: [{ amount: 2_000, calculation: { source: 'participant_terms', rateBps: 2_000 } }] });
    expect(reads).toEqual(['read', 'read']);
  });
});
