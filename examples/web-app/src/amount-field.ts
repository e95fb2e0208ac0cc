/** An amount typed by a person into a form, read into minor units. */
import * as z from 'zod';

/**
 * A decimal amount in the currency's minor units (`exponent` decimals at
 * most, like 25 or 25.50); empty means the form's default, `undefined`.
 * Whole digits only, so no float ever holds the amount.
 */
export const amountField = (exponent: number) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || new RegExp(`^\\d{1,9}(\\.\\d{1,${exponent}})?$`).test(s), exponent > 0 ? `Enter an amount like 25 or 25.50.` : 'Enter a whole amount.')
    .transform((s) => {
      if (s === '') return undefined;
      const [whole = '0', fraction = ''] = s.split('.');
      return Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
    });
