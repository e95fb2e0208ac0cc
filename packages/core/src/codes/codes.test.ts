import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODE_ALPHABET, DEFAULT_CODE_LENGTH, VANITY_CODE_MAX_LENGTH, VANITY_CODE_MIN_LENGTH, VANITY_CODE_PATTERN } from './alphabet';
import { CODE_PATTERN, matchesCodeFormat } from './format';
import { createCodeGenerator } from './generate';
import { normalizeCode } from './normalize';
import { checkVanityCode } from './vanity';

describe('normalizeCode', () => {
  it('trims, drops spaces and hyphens, and upper-cases', () => {
    expect(normalizeCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normalizeCode('ab cd\tef\ngh')).toBe('ABCDEFGH');
    expect(normalizeCode('abcd—efgh')).toBe('ABCDEFGH');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => normalizeCode(normalizeCode(s)) === normalizeCode(s)));
  });

  it('makes lookups case-insensitive', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z0-9]{3,20}$/), (s) => normalizeCode(s.toLowerCase()) === normalizeCode(s.toUpperCase())));
  });

  it('leaves every generated code unchanged', () => {
    const generate = createCodeGenerator(DEFAULT_CODE_ALPHABET, DEFAULT_CODE_LENGTH);
    fc.assert(
      fc.property(fc.integer(), () => {
        const code = generate();
        return normalizeCode(code) === code && code.length === DEFAULT_CODE_LENGTH;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('generated codes', () => {
  it('never use the characters people confuse', () => {
    const generate = createCodeGenerator(DEFAULT_CODE_ALPHABET, DEFAULT_CODE_LENGTH);
    const all = Array.from({ length: 2000 }, generate).join('');
    expect(all).not.toMatch(/[01OIL]/);
    expect(all).toMatch(/^[A-Z2-9]+$/);
  });

  it('use the whole alphabet', () => {
    const generate = createCodeGenerator(DEFAULT_CODE_ALPHABET, DEFAULT_CODE_LENGTH);
    const seen = new Set(Array.from({ length: 500 }, generate).join(''));
    expect(seen.size).toBe(DEFAULT_CODE_ALPHABET.length);
  });
});

describe('checkVanityCode', () => {
  it('returns the normalised code', () => {
    expect(checkVanityCode('my-code_1', [])).toBe('MYCODE_1');
  });

  it('accepts 3 to 32 characters', () => {
    expect(checkVanityCode('abc', [])).toBe('ABC');
    expect(checkVanityCode('a'.repeat(32), [])).toBe('A'.repeat(32));
    expect(() => checkVanityCode('ab', [])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'code' }));
    expect(() => checkVanityCode('a'.repeat(33), [])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('never lets markup or script through', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          return /^[A-Z0-9_]{3,32}$/.test(checkVanityCode(s, []));
        } catch {
          return true;
        }
      }),
    );
  });

  it('refuses reserved words in any case or spacing', () => {
    expect(() => checkVanityCode('Sup-port', [])).toThrow(expect.objectContaining({ code: 'CODE_RESERVED' }));
    expect(() => checkVanityCode('my brand', ['MyBrand'])).toThrow(expect.objectContaining({ code: 'CODE_RESERVED' }));
  });
});

describe('matchesCodeFormat', () => {
  it('accepts every code a program can hold: generated ones of any configured length, and vanity ones', () => {
    fc.assert(fc.property(fc.integer({ min: 6, max: 32 }), (length) => matchesCodeFormat(createCodeGenerator(DEFAULT_CODE_ALPHABET, length)())));
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        let vanity: string;
        try {
          vanity = checkVanityCode(s, []);
        } catch {
          return true;
        }
        return matchesCodeFormat(vanity);
      }),
    );
  });

  it('refuses markup, script, lower case, and codes too short or too long', () => {
    for (const bad of ['<SCRIPT>', 'AB"CD', 'abcd2345', 'AB', 'A'.repeat(33), '', 'ABC D', 'ÄBCD']) expect(matchesCodeFormat(bad), bad).toBe(false);
    expect(matchesCodeFormat('ABCD2345')).toBe(true);
    expect(matchesCodeFormat('MY_CODE')).toBe(true);
  });

  it('is the vanity rules’ pattern and lengths, which cover generated codes', () => {
    expect(CODE_PATTERN.source).toBe(`^[A-Z0-9_]{${VANITY_CODE_MIN_LENGTH},${VANITY_CODE_MAX_LENGTH}}$`);
    expect(VANITY_CODE_PATTERN.source).toBe('^[A-Z0-9_]+$');
  });
});
