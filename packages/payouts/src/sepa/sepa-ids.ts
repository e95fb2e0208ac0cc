import { createHash } from 'node:crypto';

/** The characters SEPA allows in identifiers and free text (the EPC's Latin character set). */
const SEPA_TEXT = /^[A-Za-z0-9/?:().,'+ -]*$/;

/**
 * A SEPA identifier of at most `length` characters for `value`: the value
 * itself when it fits (so a bank statement shows the key the engine used),
 * otherwise `OH` and a SHA-256 digest of it in hexadecimal. Either way the
 * same value always gives the same identifier, so a file made again for the
 * same run carries the same ids.
 */
export function sepaIdOf(value: string, length: number): string {
  if (value.length <= length && value.trim() === value && value !== '' && SEPA_TEXT.test(value)) return value;
  return `OH${createHash('sha256')
    .update(value)
    .digest('hex')
    .slice(0, length - 2)}`;
}

/** Free text (a name, the remittance line) in the SEPA character set, cut to `length`: other characters become a space. */
export function sepaTextOf(value: string, length: number): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9/?:().,'+ -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, length);
}
