import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, payloadHash } from './payload-hash';

/** The definition canonicalJson must match: JSON.stringify with every object's keys sorted. */
function reference(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.nat().map(String), fc.constant('4294967295')), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('is JSON.stringify with sorted keys, for any JSON-like value', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives equal strings for equal payloads whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});

describe('payloadHash', () => {
  it('is stable: stored hashes of recorded events must keep matching their redeliveries', () => {
    const payload = { eventId: 'pi_1', refereeId: 'u_2', amount: 4900, currency: 'USD', occurredAt: '2026-03-01T12:00:00.000Z' };
    expect(payloadHash(payload)).toBe(payloadHash({ ...payload }));
    expect(payloadHash(payload)).toMatchInlineSnapshot(`"afbe6c5e30bd9b11359270007c1a8ef2974a76fa081ec11f9cd1c3eaf44269c3"`);
    // recordPurchase hashes its validated input as it is, occurredAt a Date: the hash is the one of its ISO text.
    expect(payloadHash({ ...payload, occurredAt: new Date(payload.occurredAt) })).toBe(payloadHash(payload));
  });

  it('writes an invalid Date as null, as JSON.stringify does', () => {
    expect(canonicalJson({ at: new Date(Number.NaN) })).toBe(reference({ at: new Date(Number.NaN) }));
    expect(canonicalJson(new Date(Number.NaN))).toBe('null');
  });
});
