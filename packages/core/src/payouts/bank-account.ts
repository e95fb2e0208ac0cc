import { isValidBIC, ValidationErrorsIBAN, validateIBAN } from 'ibantools';
import * as z from 'zod';

/** Why an IBAN is refused, for the error's message. */
const IBAN_ERRORS: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANCountry]: 'must start with the code of a country that has IBANs',
  [ValidationErrorsIBAN.WrongBBANLength]: 'does not have the length of an IBAN of its country',
  [ValidationErrorsIBAN.WrongBBANFormat]: 'does not have the format of an IBAN of its country',
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'must have two check digits after the country code',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'has wrong check digits (mistyped?)',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: 'has a wrong national check digit (mistyped?)',
};

/**
 * An IBAN, spaces removed and upper-cased, checked by ibantools: a country
 * that has IBANs, that country's length and format, the ISO 13616 mod-97
 * check digits, and the national check digits of the countries that have them.
 */
export const ibanSchema = z
  .string()
  .max(64)
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .superRefine((iban, ctx) => {
    const { valid, errorCodes } = validateIBAN(iban);
    if (!valid) ctx.addIssue({ code: 'custom', message: IBAN_ERRORS[errorCodes[0]!] ?? 'must be an IBAN' });
  });

/** A BIC (SWIFT code) of 8 or 11 characters whose country part is a country. */
export const bicSchema = z
  .string()
  .regex(/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC of 8 or 11 characters')
  .refine(isValidBIC, 'must name a country in characters 5 and 6');
