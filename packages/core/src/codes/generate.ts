import { customAlphabet } from 'nanoid';

/** Produces one candidate code; the engine retries on collision. */
export type CodeGenerator = () => string;

/**
 * A generator of random codes over `alphabet` with nanoid (a cryptographically
 * secure source, uniform over the alphabet).
 */
export function createCodeGenerator(alphabet: string, length: number): CodeGenerator {
  return customAlphabet(alphabet, length);
}
