/**
 * @module @onehop/core/codes
 *
 * Code normalisation and the code format, with no dependencies, so browser
 * code (the `@onehop/browser` snippet) applies exactly the rules the engine does.
 */
export { normalizeCode } from './normalize';
export { CODE_PATTERN, matchesCodeFormat } from './format';
