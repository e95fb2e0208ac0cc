/**
 * Code normalisation and the code format, with no dependencies, so browser
 * code (the `@onehop/browser` snippet) applies exactly the rules the engine does.
 *
 * @module @onehop/core/codes
 */

// biome-ignore assist/source/organizeImports: the snippet bundles these modules in this order; sorted, it gzips a byte over its 1 KiB budget.
export { normalizeCode } from './normalize';
export { CODE_PATTERN, matchesCodeFormat } from './format';
