import { ValidationError } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import { parseSkip, SUITE_NAMES } from './suite-names';

describe('the skip option of runConformanceSuite', () => {
  it('runs every suite when nothing is skipped', () => {
    expect(parseSkip(undefined)).toEqual({});
    expect(parseSkip({})).toEqual({});
  });

  it('takes a suite name with its reason, trimmed', () => {
    expect(parseSkip({ erasure: ' this store keeps no strings ' })).toEqual({ erasure: 'this store keeps no strings' });
  });

  it('refuses a skipped suite without a reason, naming the field', () => {
    for (const reason of ['', '   ']) {
      const error = (() => {
        try {
          return parseSkip({ money: reason });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'skip.money' });
    }
  });

  it('refuses a name that is no suite, and says which names there are', () => {
    expect(() => parseSkip({ payouts: 'not here' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'skip.payouts', hint: expect.stringContaining(SUITE_NAMES.join(', ')) }),
    );
  });
});
