import { accrue } from '../accrual/accrue';
import { normalizeCode } from '../codes/normalize';
import { normalizeEmail } from '../email/normalize-email';
import { type EngineContext, parse, SYSTEM } from '../engine/context';
import { newId } from '../engine/ids';
import type { Work } from '../engine/work';
import { LinkSigningNotConfiguredError, type UniqueViolationError, ValidationError } from '../errors/errors';
import { runRules } from '../fraud/rules';
import { hashSignals, signalsOf, storeFingerprints } from '../fraud/signals';
import { accruesAtSignup } from '../groups/group-of';
import { verifyLink } from '../links/signed';
import { openReview } from '../reviews/queue';
import type { ReferralRecord } from '../store/records';
import { UNIQUE_CONSTRAINTS } from '../store/store';
import type { AttributionRejection, AttributionResult } from './attribution-result';
import { type AttributeInput, type AttributeInputData, attributeInputSchema } from './inputs';

/** Sentences for the built-in reasons a fraud rule refuses an attribution with. */
const REJECTION_MESSAGES: Record<string, string> = {
  SELF_REFERRAL: 'The referee is the referrer (same email, device or payment method).',
  EXISTING_CUSTOMER: 'The referee was already a paying customer before this sign-up.',
  REFERRER_VELOCITY: 'Too many sign-ups were attributed to this referrer in a short time.',
  IP_VELOCITY: 'Too many sign-ups came from this IP address in a short time.',
};

/** Clocks disagree a little; a click up to this far in the future is accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Whether an attribution with `code` repeats the one that made `referral`. A
 * code belongs to one user forever (retired codes included), so the same code
 * means the same referrer.
 */
const isRepeat = (referral: ReferralRecord, code: string): boolean => referral.code === code;

/** Another attribution of this referee committed first: run again, which answers DUPLICATE_REFEREE, or replays it when it had the same code. */
export const ATTRIBUTION_RACE = (error: UniqueViolationError): 'retry' | Error => (error.constraint === UNIQUE_CONSTRAINTS.referralReferee ? 'retry' : error);

/** The sign-up's own facts, shared by `attribute` and `acceptInvitation`. */
export type AttributionSignals = Omit<AttributeInputData, 'code' | 'link'>;

export interface PreparedAttribution {
  data: AttributionSignals;
  now: Date;
  refereeEmail: string | null;
  hashes: ReturnType<typeof hashSignals>;
}

/** Refuses an attribution: writes the audit line of the attempt and returns the result that says why. */
export type Rejecter = (reason: AttributionRejection, message: string, details?: Record<string, unknown>) => Promise<AttributionResult>;

/**
 * Attributes a new sign-up to the owner of `code`: one hop only, the direct
 * referrer and nobody above them. A refused attribution returns
 * `{ ok: false, reason }` and writes nothing but an audit record of the attempt.
 * Running the same attribution again (same referee, same code, e.g. after
 * `STORE_CONNECTION_LOST`) answers as the first call did, with
 * `replayed: true`, and writes nothing.
 */
export async function attribute(ctx: EngineContext, input: AttributeInput): Promise<AttributionResult> {
  const data = parse(attributeInputSchema, input);
  const code = normalizeCode(data.code);
  if (code === '') throw new ValidationError([{ field: 'code', message: 'must contain a letter or digit' }]);
  const prepared = prepareAttribution(ctx, data);
  return ctx.run(async (work) => {
    const reject = attributionRejecter(work, data.refereeId, code);
    const link = checkLink(ctx, data.link, code);
    if (link) return (await replayOf(work, data.refereeId, code)) ?? reject(link.reason, link.message, link.details);
    return attributeTx(work, prepared, code, reject);
  }, ATTRIBUTION_RACE);
}

/** Checks done before the transaction: dates, the email's normal form, the hashed signals. */
export function prepareAttribution(ctx: EngineContext, data: AttributionSignals): PreparedAttribution {
  const now = ctx.clock.now();
  if (data.clickedAt && data.clickedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new ValidationError([{ field: 'clickedAt', message: 'must not be in the future' }]);
  }
  return {
    data,
    now,
    refereeEmail: data.email === undefined ? null : normalizeEmail(data.email),
    hashes: hashSignals(ctx, { ip: data.ip, deviceId: data.deviceId }),
  };
}

/** A refusal of an attribution: an audit line of the attempt, and the result that says why. */
export function attributionRejecter(work: Work, refereeId: string, code: string): Rejecter {
  return async (reason: AttributionRejection, message: string, details: Record<string, unknown> = {}): Promise<AttributionResult> => {
    await work.audit('attribution_attempt', refereeId, 'attribution.rejected', SYSTEM, { reason, data: { code, ...details } });
    return { ok: false, reason, message, details };
  };
}

/** The signed-link check of an attribution: null when it passes (or the program does not sign links and none came). */
export function checkLink(
  ctx: EngineContext,
  link: string | undefined,
  code: string,
): { reason: AttributionRejection; message: string; details: Record<string, unknown> } | null {
  const signing = ctx.program.links.signing;
  if (link === undefined) {
    return signing?.required ? { reason: 'LINK_UNSIGNED', message: 'This program accepts sign-ups through signed links only.', details: {} } : null;
  }
  if (!signing) throw new LinkSigningNotConfiguredError();
  const verified = verifyLink(link, signing.secret, ctx.program.id, ctx.program.links.parameter, ctx.clock.now());
  if (!verified.ok) return { reason: verified.reason, message: verified.message, details: {} };
  if (verified.code !== code) {
    return { reason: 'LINK_TAMPERED', message: `The signed link is for code "${verified.code}", not "${code}".`, details: { linkCode: verified.code } };
  }
  return null;
}

/** The attribution itself, inside the caller's transaction. */
export async function attributeTx(
  work: Work,
  { data, now, refereeEmail, hashes }: PreparedAttribution,
  code: string,
  reject: Rejecter,
  /** Answer a repeat of an attribution with this code as a replay (an invitation's acceptance answers its own repeats). */
  replays = true,
): Promise<AttributionResult> {
  {
    const codeRow = await work.tx.codes.get(work.scope, code);
    if (!codeRow) return reject('UNKNOWN_CODE', `No referral code "${code}" in this program.`);
    // A repeat of an attribution that was made (a retry after a lost reply) is
    // answered from the referral before any rule runs: the first call's own
    // referral may have changed what the rules would say now (velocity, the
    // click window). Referrals are never deleted and never change referrer or
    // code, so this read needs no lock; a racer that commits after it makes
    // the insert below fail, and the run again answers here.
    const existing = await work.tx.referrals.getByReferee(work.scope, data.refereeId);
    if (replays && existing && isRepeat(existing, code)) return replayAttribution(work, existing);
    // Lock the referrer: all work on one referrer is serialised.
    const referrer = await work.tx.participants.get(work.scope, codeRow.userId, { forUpdate: true });
    if (!referrer || referrer.status !== 'active') {
      return reject('REFERRER_INACTIVE', `The owner of code "${code}" is not an active participant.`, { referrerId: codeRow.userId });
    }
    // Always refused, whatever the fraud configuration: the database holds referrer ≠ referee too.
    if (referrer.userId === data.refereeId) {
      return reject('SELF_REFERRAL', 'A user cannot refer themselves.', { referrerId: referrer.userId, match: 'user_id' });
    }
    const findings = await runRules(
      work.rules,
      {
        stage: 'attribution',
        referrer,
        refereeId: data.refereeId,
        refereeEmail,
        existingCustomer: data.existingCustomer ?? false,
        hashes,
        at: now,
        config: work.program.fraud,
        signals: signalsOf(work),
      },
      work.ctx.logger,
    );
    const refused = findings.find((f) => f.action === 'reject');
    if (refused) work.emit('fraud.flagged', referrer.userId, 'attribution_attempt', data.refereeId, { action: 'reject', rule: refused.rule, reason: refused.reason });
    if (refused)
      return reject(refused.reason, REJECTION_MESSAGES[refused.reason] ?? `Refused by the fraud rule "${refused.rule}".`, { ...refused.details, rule: refused.rule });
    if (data.clickedAt && now.getTime() - data.clickedAt.getTime() > work.program.attribution.windowDays * DAY_MS) {
      return reject('CLICK_EXPIRED', `The click is older than the ${work.program.attribution.windowDays}-day attribution window.`, {
        referrerId: referrer.userId,
        clickedAt: data.clickedAt.toISOString(),
      });
    }
    if (existing) {
      return reject('DUPLICATE_REFEREE', 'The referee already has a referrer; the first attribution stands.', {
        referrerId: referrer.userId,
        existingReferralId: existing.id,
        existingReferrerId: existing.referrerId,
      });
    }
    const referral: ReferralRecord = {
      programId: work.scope.programId,
      mode: work.scope.mode,
      id: newId('rfl'),
      referrerId: referrer.userId,
      refereeId: data.refereeId,
      code,
      status: 'pending',
      statusReason: null,
      source: data.source ?? null,
      country: data.country ?? null,
      refereeEmailNormalized: refereeEmail,
      clickedAt: data.clickedAt ?? null,
      attributedAt: now,
      qualifiedAt: null,
      purchaseCount: 0,
      revenue: 0,
      updatedAt: now,
    };
    await work.tx.referrals.insert(referral);
    work.tallyReferral(referral, null, 'pending');
    await work.audit('referral', referral.id, 'referral.created', SYSTEM, {
      notify: referral.referrerId,
      after: 'pending',
      data: { referrerId: referral.referrerId, refereeId: referral.refereeId, code },
    });
    await storeFingerprints(work, data.refereeId, hashes, 'signup', referrer.userId);
    const reviews = findings.filter((f) => f.action === 'review');
    const review = reviews.length > 0 ? await openReview(work, 'referral', referral.id, referral, reviews, null) : null;
    if (accruesAtSignup(work.program, referrer)) {
      // Partner programs that pay per sign-up (the referral qualifies now), or a group's lead reward: it accrues now.
      const outcome = await accrue(work, { referral, referrer }, { trigger: 'signup', sourceKind: 'signup', sourceEventId: referral.id, at: now, hashes });
      return { ok: true, replayed: false, referral: outcome.referral, review };
    }
    return { ok: true, replayed: false, referral, review };
  }
}

/** The answer to a repeated attribution of this referee with this code, or null when it is not one. */
async function replayOf(work: Work, refereeId: string, code: string): Promise<AttributionResult | null> {
  const existing = await work.tx.referrals.getByReferee(work.scope, refereeId);
  return existing && isRepeat(existing, code) ? replayAttribution(work, existing) : null;
}

/** The answer to a repeated attribution: the referral it made, as it is now, and its open review; nothing is written. */
export async function replayAttribution(work: Work, referral: ReferralRecord): Promise<AttributionResult & { ok: true }> {
  return { ok: true, replayed: true, referral, review: await work.tx.reviews.getOpen(work.scope, 'referral', referral.id) };
}
