import { describe, expect, it } from 'vitest';
import { currencyExponent, decimalAmount, formatMoney, isCurrencyCode } from './currency';

describe('currencies', () => {
  it('knows the minor-unit exponent of ISO 4217 currencies', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('counts in ISO 4217 minor units, not in the digits ICU displays, so an amount means the same on every runtime', () => {
    // ICU (CLDR) shows these without decimals; ISO 4217 and the payment providers count hundredths (thousandths for IQD).
    for (const code of ['HUF', 'IDR', 'COP', 'PKR', 'ALL', 'IRR', 'LBP', 'MGA', 'YER']) expect(currencyExponent(code), code).toBe(2);
    expect(currencyExponent('IQD')).toBe(3);
    for (const code of ['ISK', 'UGX', 'KRW', 'CLP', 'VND', 'XOF']) expect(currencyExponent(code), code).toBe(0);
    expect(decimalAmount(500_000, 'HUF')).toBe('5000.00');
    // Metals and funds have no minor unit: no amount is counted in them.
    expect(isCurrencyCode('XAU')).toBe(false);
    expect(() => currencyExponent('XAU')).toThrow(RangeError);
  });

  it('accepts only upper-case ISO codes', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(() => currencyExponent('XYZ')).toThrow(RangeError);
  });

  it('formats minor units without float rounding', () => {
    expect(formatMoney(1999, 'USD')).toBe('$19.99');
    expect(formatMoney(-5, 'USD')).toBe('-$0.05');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect(formatMoney(1234, 'KWD')).toBe('KWD\u00a01.234');
    // ISO 4217 gives HUF two decimals where CLDR shows none: the amount is not rounded away.
    expect(formatMoney(1999, 'HUF')).toBe('HUF\u00a019.99');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('writes an amount as an exact decimal string in major units, from the integer digits', () => {
    expect(decimalAmount(1999, 'USD')).toBe('19.99');
    expect(decimalAmount(5, 'USD')).toBe('0.05');
    expect(decimalAmount(-5, 'USD')).toBe('-0.05');
    expect(decimalAmount(0, 'EUR')).toBe('0.00');
    expect(decimalAmount(1500, 'JPY')).toBe('1500');
    expect(decimalAmount(5, 'KWD')).toBe('0.005');
    // 0.1 + 0.2-style float errors never show: 2^53 - 1 cents keeps every digit.
    expect(decimalAmount(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
    expect(() => decimalAmount(1.5, 'USD')).toThrow(RangeError);
  });
});
