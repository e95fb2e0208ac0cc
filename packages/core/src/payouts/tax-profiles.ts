import { authorizeAction } from '../authorization/authorization';
import { statName } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import { userIdSchema } from '../engine/fields';
import type { Work } from '../engine/work';
import { ParticipantNotFoundError } from '../errors/errors';
import type { Actor, TaxProfileRecord } from '../store/records';
import { type SetTaxProfileInput, setTaxProfileInputSchema } from './inputs';

/**
 * What the program's tax-form rule says about paying `amount` to a payee now:
 * `ok`, `warn` (pay, and say so) or `block` (do not pay; the money stays
 * withdrawable). Verified profiles always pass; with `aboveYearlyTotal`, so
 * does a payee whose payouts paid this calendar year plus `amount` stay at or
 * under it.
 */
export async function taxGate(work: Work, userId: string, amount: number): Promise<'ok' | 'warn' | 'block'> {
  const rule = work.program.payouts.taxForms;
  if (rule.enforcement === 'off') return 'ok';
  const profile = await work.tx.taxProfiles.get(work.scope, userId);
  if (profile?.status === 'verified') return 'ok';
  if (rule.aboveYearlyTotal > 0) {
    const year = work.ctx.today().slice(2, 6);
    const name = statName('paid');
    const paid = (await work.tx.counters.sum(work.scope, [userId], [name], `d:${year}-01-01`, `d:${year}-12-31`))[name] ?? 0;
    if (paid + amount <= rule.aboveYearlyTotal) return 'ok';
  }
  return rule.enforcement;
}

/**
 * Admin: records a payee's tax form status (which form, country of
 * residence, when). No tax id or document: your application or the payment
 * provider keeps those. Audited with the status and form type before and after.
 */
export async function setTaxProfile(ctx: EngineContext, input: SetTaxProfileInput): Promise<TaxProfileRecord> {
  await authorizeAction(ctx, 'taxProfile.set', setTaxProfileInputSchema, input, (d) => ({ type: 'participant', id: d.userId }));
  const data = parse(setTaxProfileInputSchema, input);
  const { scope } = ctx;
  return ctx.run(async (work) => {
    if (!(await work.tx.participants.get(scope, data.userId, { forUpdate: true }))) throw new ParticipantNotFoundError(data.userId);
    const before = await work.tx.taxProfiles.get(scope, data.userId);
    const now = work.now();
    const row: TaxProfileRecord = {
      programId: scope.programId,
      mode: scope.mode,
      userId: data.userId,
      status: data.status,
      formType: data.formType ?? null,
      country: data.country ?? null,
      statusDate: data.statusDate ?? now,
      updatedBy: data.adminId,
      updatedAt: now,
    };
    await work.tx.taxProfiles.put(row);
    const actor: Actor = { type: 'admin', id: data.adminId };
    // The country stays out of the append-only audit trail; status and form type describe the decision.
    await work.audit('tax_profile', data.userId, 'tax_profile.set', actor, {
      before: before?.status ?? 'none',
      after: row.status,
      reason: data.reason ?? null,
      data: { formTypeBefore: before?.formType ?? null, formType: row.formType },
    });
    return row;
  });
}

/** A payee's tax profile, or null when none was recorded (status `none`). */
export async function getTaxProfile(ctx: EngineContext, userId: string): Promise<TaxProfileRecord | null> {
  const id = parse(userIdSchema, userId, 'userId');
  return ctx.run((work) => work.tx.taxProfiles.get(work.scope, id));
}
