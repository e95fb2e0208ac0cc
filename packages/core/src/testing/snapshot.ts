import type { Onehop, Scope } from '@onehop/core';

/** Every row a program holds for these users, read straight from the store, for "nothing was written" checks. */
export async function snapshot(onehop: Onehop, users: string[]) {
  const scope: Scope = { programId: onehop.program.id, mode: onehop.mode };
  return onehop.store.transaction(async (tx) => ({
    participants: await Promise.all(users.map((u) => tx.participants.get(scope, u))),
    codes: await Promise.all(users.map((u) => tx.codes.listByUser(scope, u))),
    referrals: await Promise.all(users.map((u) => tx.referrals.getByReferee(scope, u))),
    audit: await Promise.all(users.map((u) => tx.audit.listByEntity(scope, 'participant', u))),
  }));
}
