import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp } from './ip-address';

describe('canonicalIp', () => {
  it.each([
    ['198.51.100.7', 64, '198.51.100.7'],
    [' 198.51.100.7 ', 128, '198.51.100.7'],
    ['::ffff:198.51.100.7', 64, '198.51.100.7'],
    ['::FFFF:c633:6407', 64, '198.51.100.7'],
    ['2001:db8::1', 128, '2001:db8:0:0:0:0:0:1/128'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', 128, '2001:db8:0:0:0:0:0:1/128'],
    ['[2001:db8::1]', 128, '2001:db8:0:0:0:0:0:1/128'],
    ['fe80::1%eth0', 128, 'fe80:0:0:0:0:0:0:1/128'],
    ['2001:db8:1:2:a1b2:c3d4:e5f6:1', 64, '2001:db8:1:2:0:0:0:0/64'],
    ['2001:db8:1:2::77', 64, '2001:db8:1:2:0:0:0:0/64'],
    ['2001:db8:1:2ff::1', 56, '2001:db8:1:200:0:0:0:0/56'],
    ['64:ff9b::192.0.2.33', 128, '64:ff9b:0:0:0:0:c000:221/128'],
    ['::', 64, '0:0:0:0:0:0:0:0/64'],
    ['not an address', 64, 'not an address'],
    ['1::2::3', 64, '1::2::3'],
    ['1:2:3:4:5:6:7:8:9', 64, '1:2:3:4:5:6:7:8:9'],
  ])('%s at /%i is %s', (input, prefix, expected) => {
    expect(canonicalIp(input, prefix)).toBe(expected);
  });

  const words = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).filter((w) => !(w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff));
  /** One of the spellings of the address: full with leading zeros, upper case, or with its longest run of zeros compressed. */
  const spelling = (w: number[], style: number) => {
    if (style === 0) return w.map((x) => x.toString(16).padStart(4, '0')).join(':');
    if (style === 1)
      return w
        .map((x) => x.toString(16))
        .join(':')
        .toUpperCase();
    const text = `:${w.map((x) => x.toString(16)).join(':')}:`;
    const run = text.match(/(?::0)+:/g)?.sort((a, b) => b.length - a.length)[0];
    return run ? text.replace(run, '::').replace(/^:(?!:)|(?<!:):$/g, '') : text.slice(1, -1);
  };

  it('gives every spelling of an address one form (property)', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 128 }), (w, a, b, prefix) => {
        expect(canonicalIp(spelling(w, a), prefix)).toBe(canonicalIp(spelling(w, b), prefix));
      }),
    );
  });

  it('two addresses have one form exactly when their first prefix bits agree (property)', () => {
    fc.assert(
      fc.property(words, words, fc.integer({ min: 0, max: 128 }), fc.integer({ min: 1, max: 128 }), (x, z, shared, prefix) => {
        // y keeps the first `shared` bits of x and takes the rest from z.
        const bitsOf = (w: number[]) => w.map((v) => v.toString(2).padStart(16, '0')).join('');
        const mixed = bitsOf(x).slice(0, shared) + bitsOf(z).slice(shared);
        const y = Array.from({ length: 8 }, (_, i) => parseInt(mixed.slice(16 * i, 16 * i + 16), 2));
        fc.pre(!(y.slice(0, 5).every((v) => v === 0) && y[5] === 0xffff));
        const bits = (w: number[]) => bitsOf(w).slice(0, prefix);
        expect(canonicalIp(spelling(x, 2), prefix) === canonicalIp(spelling(y, 2), prefix)).toBe(bits(x) === bits(y));
      }),
    );
  });
});
