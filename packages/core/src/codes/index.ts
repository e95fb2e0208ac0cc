/**
 * Code normalisation and the code format, with no dependencies, so browser
 * code (the `@onehop/browser` snippet) applies exactly the rules the engine does.
 *
 * @module @onehop/core/codes
 */

export { CODE_PATTERN, matchesCodeFormat } from './format';
export { normalizeCode } from './normalize';
