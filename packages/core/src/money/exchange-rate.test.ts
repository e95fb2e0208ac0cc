import { describe, expect, it } from 'vitest';
import { convertAmount, fixedExchangeRates, parseRate, rateText } from './exchange-rate';

describe('exact exchange rates', () => {
  it('reads a decimal rate as an integer and a power of ten, and writes it back', () => {
    expect(parseRate('1.0845')).toEqual({ rate: 10845, rateScale: 4 });
    expect(parseRate('0.0066')).toEqual({ rate: 66, rateScale: 4 });
    expect(parseRate('150.50')).toEqual({ rate: 1505, rateScale: 1 });
    expect(parseRate('100')).toEqual({ rate: 100, rateScale: 0 });
    expect(parseRate('0.000000000001')).toEqual({ rate: 1, rateScale: 12 });
    for (const text of ['1.0845', '0.0066', '150.5', '100', '0.000000000001']) expect(rateText(parseRate(text)!)).toBe(text);
  });

  it('refuses what it cannot hold exactly: zero, negatives, exponents, too many digits', () => {
    for (const text of ['0', '0.000', '-1', '1e3', '1.', '.5', '1,5', '', '1.0000000000001', '1234567890123456']) expect(parseRate(text)).toBeNull();
  });

  it('converts minor units across exponents, rounding once in the given mode', () => {
    expect(convertAmount(10000, 'EUR', 'USD', { rate: 10845, rateScale: 4 })).toBe(10845);
    expect(convertAmount(1000, 'JPY', 'USD', { rate: 66, rateScale: 4 })).toBe(660);
    expect(convertAmount(1999, 'USD', 'JPY', { rate: 1505, rateScale: 1 })).toBe(3008); // 3008.495
    // 5,000.00 Ft at 0.0025 is 12.50 €: HUF counts hundredths (ISO 4217), whatever a runtime displays.
    expect(convertAmount(500_000, 'HUF', 'EUR', { rate: 25, rateScale: 4 })).toBe(1250);
    expect(convertAmount(1000, 'JPY', 'KWD', { rate: 2, rateScale: 3 })).toBe(2000);
    expect(convertAmount(1234, 'KWD', 'USD', { rate: 325, rateScale: 2 })).toBe(401); // 401.05
    // 2.5 cents: half-even goes to 2, half-up to 3.
    expect(convertAmount(25, 'EUR', 'USD', { rate: 1, rateScale: 1 }, 'half_even')).toBe(2);
    expect(convertAmount(25, 'EUR', 'USD', { rate: 1, rateScale: 1 }, 'half_up')).toBe(3);
    // A further fraction is applied before the one rounding: 10 % of 25.0025 is 2.50025 → 3, not 10 % of 25 → 2.
    expect(convertAmount(25, 'EUR', 'USD', { rate: 10001, rateScale: 4 }, 'half_even', { numerator: 1000n, denominator: 10000n })).toBe(3);
  });

  it('a fixed table answers its pairs and throws for others', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const rates = fixedExchangeRates({ 'EUR/USD': '1.0845' }, at);
    expect(rates.rate({ from: 'EUR', to: 'USD', at })).toEqual({ rate: '1.0845', at });
    expect(() => rates.rate({ from: 'USD', to: 'EUR', at })).toThrow('No fixed rate for USD/EUR');
    expect(() => fixedExchangeRates({ 'EUR-USD': '1' })).toThrow(RangeError);
    expect(() => fixedExchangeRates({ 'EUR/USD': '1.08e0' })).toThrow(RangeError);
  });
});
