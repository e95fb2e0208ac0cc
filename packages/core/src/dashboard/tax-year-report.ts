import { PROGRAM_OWNERS, statName } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import { type TaxYearReportInput, taxYearReportInputSchema } from '../payouts/inputs';
import { csvField, decimal } from './tax-export';

/** The header of the yearly tax report; stable across versions. */
export const TAX_YEAR_REPORT_HEADER = [
  'user_id',
  'email',
  'year',
  'currency',
  'paid_minor_units',
  'paid',
  'tax_form',
  'tax_status',
  'tax_country',
  'over_threshold',
] as const;

/**
 * The yearly tax report: per payee, the payouts paid in one calendar year
 * (days in the program's time zone) with the tax form on file, and whether
 * the total is over `threshold` (default `payouts.taxForms.reportThreshold`,
 * e.g. the 1099-NEC threshold). The conventions of `taxExport`: RFC 4180 CSV,
 * CRLF line ends, the stable header `TAX_YEAR_REPORT_HEADER`, largest first.
 */
export async function taxYearReport(ctx: EngineContext, input: TaxYearReportInput): Promise<string> {
  const data = parse(taxYearReportInputSchema, input);
  const threshold = data.threshold ?? ctx.program.payouts.taxForms.reportThreshold;
  return ctx.run(async (work) => {
    const rows = await work.tx.counters.top(ctx.scope, statName('paid'), `d:${data.year}-01-01`, `d:${data.year}-12-31`, Number.MAX_SAFE_INTEGER, PROGRAM_OWNERS);
    const currency = ctx.program.currency;
    const lines = [TAX_YEAR_REPORT_HEADER.join(',')];
    for (const { ownerId, value } of rows) {
      if (value === 0) continue;
      const participant = await work.tx.participants.get(ctx.scope, ownerId);
      const profile = await work.tx.taxProfiles.get(ctx.scope, ownerId);
      lines.push(
        [
          ownerId,
          participant?.email ?? '',
          String(data.year),
          currency,
          String(value),
          decimal(value, currency),
          profile?.formType ?? '',
          profile?.status ?? 'none',
          profile?.country ?? '',
          value > threshold ? 'yes' : 'no',
        ]
          .map(csvField)
          .join(','),
      );
    }
    return `${lines.join('\r\n')}\r\n`;
  });
}
