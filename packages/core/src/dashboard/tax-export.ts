import { PROGRAM_OWNERS, statName } from '../counters/stats';
import { type EngineContext, parse } from '../engine/context';
import { currencyExponent } from '../money/currency';
import { type TaxExportInput, taxExportInputSchema } from './inputs';

/** The header of the tax export; stable across versions. */
export const TAX_EXPORT_HEADER = ['user_id', 'email', 'year', 'currency', 'paid_minor_units', 'paid'] as const;

/**
 * One field of RFC 4180 CSV: quoted when it holds a comma, a quote or a line
 * break, with quotes doubled. A field that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or carriage return) is prefixed
 * with an apostrophe first.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Minor units as a decimal string in the currency's exponent: 12345 USD → "123.45". */
export function decimal(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${amount < 0 ? '-' : ''}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Tax preparation export: per referrer, the payouts paid in one calendar
 * year (days in the program's time zone), as RFC 4180 CSV with CRLF line
 * ends and the stable header `TAX_EXPORT_HEADER`, largest first.
 */
export async function taxExport(ctx: EngineContext, input: TaxExportInput): Promise<string> {
  const { year } = parse(taxExportInputSchema, input);
  return ctx.read(async (work) => {
    const rows = await work.tx.counters.top(ctx.scope, statName('paid'), `d:${year}-01-01`, `d:${year}-12-31`, Number.MAX_SAFE_INTEGER, PROGRAM_OWNERS);
    const lines = [TAX_EXPORT_HEADER.join(',')];
    for (const { ownerId, value } of rows) {
      if (value === 0) continue;
      const participant = await work.tx.participants.get(ctx.scope, ownerId);
      const currency = ctx.program.currency;
      lines.push([ownerId, participant?.email ?? '', String(year), currency, String(value), decimal(value, currency)].map(csvField).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
  });
}
