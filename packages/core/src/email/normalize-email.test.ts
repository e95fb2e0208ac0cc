import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './normalize-email';

describe('normalizeEmail', () => {
  it.each([
    ['Alice@Example.COM', 'alice@example.com'],
    ['alice+promo@example.com', 'alice@example.com'],
    ['a.l.i.c.e@example.com', 'a.l.i.c.e@example.com'],
    ['John.Doe+x@gmail.com', 'johndoe@gmail.com'],
    ['john.doe@googlemail.com', 'johndoe@gmail.com'],
    ['  JohnDoe@GMAIL.com ', 'johndoe@gmail.com'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});
