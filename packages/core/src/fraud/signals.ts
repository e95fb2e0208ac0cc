import type { EngineContext } from '../engine/context';
import { newId } from '../engine/ids';
import type { Recorder } from '../engine/recorder';
import type { Work } from '../engine/work';
import { HashKeyMissingError } from '../errors/errors';
import type { FingerprintRecord, FingerprintRole } from '../store/records';
import { keyedHash } from './hash';
import type { FraudSignals, SignalHashes } from './rules';

/** The raw signals a call may carry; only their keyed hashes are ever stored. */
export interface RawSignals {
  ip?: string | undefined;
  deviceId?: string | undefined;
  paymentFingerprint?: string | undefined;
}

/** Hashes the signals with the program's key; passing one without a key is an error, before anything is written. */
export function hashSignals(ctx: EngineContext, raw: RawSignals): SignalHashes {
  const key = ctx.program.privacy.hashKey;
  const hash = (field: keyof RawSignals, kind: 'ip' | 'device' | 'payment'): string | null => {
    const value = raw[field];
    if (value === undefined) return null;
    if (key === undefined) throw new HashKeyMissingError(field);
    return keyedHash(key, kind, value, { ipv6PrefixLength: ctx.program.fraud.ipv6PrefixLength });
  };
  return { ip: hash('ip', 'ip'), device: hash('deviceId', 'device'), payment: hash('paymentFingerprint', 'payment') };
}

export function signalsOf(work: Work): FraudSignals {
  return {
    countFingerprints: async (query) => work.tx.fingerprints.count(work.scope, query),
    countReferralsSince: async (referrerId, since) => work.tx.referrals.countByReferrerSince(work.scope, referrerId, since),
  };
}

/** The fingerprint rows of the hashes that were passed, for `userId`. */
export function fingerprintRows(recorder: Recorder, userId: string, hashes: SignalHashes, role: FingerprintRole, referrerId: string | null): FingerprintRecord[] {
  const at = recorder.now();
  const rows: FingerprintRecord[] = [];
  for (const [kind, hash] of [
    ['ip', hashes.ip],
    ['device', hashes.device],
    ['payment', hashes.payment],
  ] as const) {
    if (hash === null) continue;
    rows.push({ programId: recorder.scope.programId, mode: recorder.scope.mode, id: newId('fpr'), userId, kind, hash, role, referrerId, at });
  }
  return rows;
}

/** Stores the hashes that were passed, as fingerprints of `userId`. */
export async function storeFingerprints(work: Work, userId: string, hashes: SignalHashes, role: FingerprintRole, referrerId: string | null): Promise<void> {
  for (const row of fingerprintRows(work.recorder, userId, hashes, role, referrerId)) await work.tx.fingerprints.insert(row);
}
