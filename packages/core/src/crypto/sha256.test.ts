import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from './sha256';

const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// The @noble/hashes fallback is what runtimes without node:crypto compute:
// a stored keyed hash, payload hash or link signature must be the same bytes there.
describe('SHA-256 and HMAC-SHA-256 without node:crypto (@noble/hashes)', () => {
  it('gives the standard test vectors', () => {
    expect(hex(sha256(utf8('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // RFC 4231, test case 2.
    expect(hex(hmacSha256(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('equals node:crypto for any data and key, across block boundaries (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 150 }), (data, key) => {
        expect(hex(sha256(utf8(data)))).toBe(createHash('sha256').update(data).digest('hex'));
        expect(hex(hmacSha256(utf8(key), utf8(data)))).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }),
      { numRuns: 500 },
    );
  });
});
