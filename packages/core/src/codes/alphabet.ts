/**
 * The default alphabet for generated codes: upper-case letters and digits
 * without the characters people confuse when reading a code aloud or off a
 * screen (0/O, 1/I/L). 31 symbols, so 8 characters give 31^8 ≈ 8.5 × 10^11 codes.
 */
export const DEFAULT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Default length of generated codes. */
export const DEFAULT_CODE_LENGTH = 8;

/** Characters a vanity code may use, after normalisation. */
export const VANITY_CODE_PATTERN = /^[A-Z0-9_]+$/;

/** Vanity codes are between these lengths (inclusive), after normalisation. */
export const VANITY_CODE_MIN_LENGTH = 3;
export const VANITY_CODE_MAX_LENGTH = 32;

/**
 * Words no participant may take as a vanity code, in addition to a program's
 * own list: they impersonate the platform or its staff, or read as offers.
 */
export const DEFAULT_RESERVED_WORDS = [
  'ADMIN',
  'ADMINISTRATOR',
  'API',
  'BILLING',
  'DISCOUNT',
  'FREE',
  'HELP',
  'MODERATOR',
  'NULL',
  'OFFICIAL',
  'ONEHOP',
  'PROMO',
  'REFERRAL',
  'ROOT',
  'STAFF',
  'SUPPORT',
  'SYSTEM',
  'TEST',
  'UNDEFINED',
] as const;
