import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors';
import { parseProgramConfig } from './program';

function issuesOf(input: unknown) {
  try {
    parseProgramConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('INVALID_PROGRAM_CONFIG');
    return (error as ValidationError).issues.map((i) => i.field);
  }
  throw new Error('expected the configuration to be refused');
}

describe('program configuration', () => {
  it('fills in defaults and the currency exponent', () => {
    const config = parseProgramConfig({ id: 'main', currency: 'JPY' });
    expect(config).toMatchObject({
      id: 'main',
      currency: 'JPY',
      currencyExponent: 0,
      mode: 'mock',
      codes: { length: 8, alphabet: '23456789ABCDEFGHJKMNPQRSTUVWXYZ', reservedWords: [] },
      attribution: { windowDays: 60 },
      links: { parameter: 'ref' },
    });
  });

  it('names every bad field under program.', () => {
    expect(issuesOf({ id: '', currency: 'usd' })).toEqual(['program.id', 'program.currency']);
    expect(issuesOf({ id: 'p', currency: 'USD', codes: { length: 3, alphabet: 'AAB' } })).toEqual(
      expect.arrayContaining(['program.codes.length', 'program.codes.alphabet']),
    );
    expect(issuesOf({ id: 'p', currency: 'USD', attribution: { windowDays: 0 } })).toEqual(['program.attribution.windowDays']);
    expect(issuesOf({ id: 'p', currency: 'USD', links: { parameter: 'a b' } })).toEqual(['program.links.parameter']);
    expect(issuesOf({ id: 'p', currency: 'USD', unknown: true })).toEqual(['program']);
    expect(issuesOf({ id: 'p', currency: 'USD', mode: 'test' })).toEqual(['program.mode']);
    expect(issuesOf({ id: 'p', currency: 'USD', authorize: true })).toEqual(['program.authorize']);
  });

  it('takes a referee discount as a percentage or an amount, once unless a number of months is given', () => {
    const program = { id: 'p', currency: 'EUR' };
    expect(parseProgramConfig(program).refereeDiscount).toBeUndefined();
    expect(parseProgramConfig({ ...program, refereeDiscount: { type: 'percentage', rateBps: 1500 } }).refereeDiscount).toEqual({
      type: 'percentage',
      rateBps: 1500,
      duration: { type: 'once' },
    });
    expect(parseProgramConfig({ ...program, refereeDiscount: { type: 'amount', amount: 500, duration: { type: 'months', months: 3 } } }).refereeDiscount).toEqual({
      type: 'amount',
      amount: 500,
      duration: { type: 'months', months: 3 },
    });
  });

  it('names the bad field of a referee discount', () => {
    const program = { id: 'p', currency: 'EUR' };
    const discount = (refereeDiscount: unknown) => issuesOf({ ...program, refereeDiscount });
    expect(discount({ type: 'percentage', rateBps: 0 })).toEqual(['program.refereeDiscount.rateBps']);
    expect(discount({ type: 'percentage', rateBps: 10_001 })).toEqual(['program.refereeDiscount.rateBps']);
    expect(discount({ type: 'percentage', rateBps: 12.5 })).toEqual(['program.refereeDiscount.rateBps']);
    expect(discount({ type: 'amount', amount: 4.99 })).toEqual(['program.refereeDiscount.amount']);
    expect(discount({ type: 'amount', amount: 0 })).toEqual(['program.refereeDiscount.amount']);
    // A percentage names its rate, not an amount; each kind takes only its own field.
    expect(discount({ type: 'percentage', amount: 500 })).toEqual(expect.arrayContaining(['program.refereeDiscount.rateBps']));
    expect(discount({ type: 'coupon', rateBps: 100 })).toEqual(['program.refereeDiscount.type']);
    expect(discount({ type: 'amount', amount: 500, duration: { type: 'months', months: 0 } })).toEqual(['program.refereeDiscount.duration.months']);
    expect(discount({ type: 'amount', amount: 500, duration: { type: 'forever' } })).toEqual(['program.refereeDiscount.duration.type']);
  });

  it('picks live mode only in production unless set', () => {
    expect(parseProgramConfig({ id: 'p', currency: 'USD' }, { NODE_ENV: 'production' }).mode).toBe('live');
    expect(parseProgramConfig({ id: 'p', currency: 'USD' }, { NODE_ENV: 'test' }).mode).toBe('mock');
    expect(parseProgramConfig({ id: 'p', currency: 'USD', mode: 'mock' }, { NODE_ENV: 'production' }).mode).toBe('mock');
  });

  it('says what to do in the message', () => {
    expect(() => parseProgramConfig({ id: 'p', currency: 'dollars' })).toThrow(/program\.currency: must be an ISO 4217 currency code.*Fix the program configuration/);
  });
});
