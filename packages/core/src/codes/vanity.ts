import { CodeReservedError, ValidationError } from '../errors/errors';
import { DEFAULT_RESERVED_WORDS, VANITY_CODE_MAX_LENGTH, VANITY_CODE_MIN_LENGTH, VANITY_CODE_PATTERN } from './alphabet';
import { normalizeCode } from './normalize';

/**
 * Checks a requested vanity code and returns its normalised form. Throws a
 * ValidationError when the characters or the length are wrong, and a
 * CodeReservedError when it is a reserved word. Uniqueness is checked by the
 * store's unique constraint when the code is saved.
 */
export function checkVanityCode(input: string, reservedWords: readonly string[], field = 'code'): string {
  const code = normalizeCode(input);
  if (code.length < VANITY_CODE_MIN_LENGTH || code.length > VANITY_CODE_MAX_LENGTH) {
    throw new ValidationError([{ field, message: `must be ${VANITY_CODE_MIN_LENGTH} to ${VANITY_CODE_MAX_LENGTH} characters after removing spaces and hyphens` }]);
  }
  if (!VANITY_CODE_PATTERN.test(code)) {
    throw new ValidationError([{ field, message: 'may use only letters A–Z, digits, underscores, spaces and hyphens' }]);
  }
  const reserved = new Set<string>([...DEFAULT_RESERVED_WORDS, ...reservedWords.map(normalizeCode)]);
  if (reserved.has(code)) throw new CodeReservedError(code, field);
  return code;
}
