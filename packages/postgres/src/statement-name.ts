/**
 * Names of the store's prepared statements, derived from the statement's
 * text: the same text gets the same name in every copy of this package (an
 * ESM and a CommonJS copy in one process, two releases behind one pool) and
 * in every process, so copies sharing a connection never give one name two
 * statements. The hash is 64 bits (cyrb53's two 32-bit lanes, both kept), in
 * plain JavaScript so the package runs on any runtime; a collision among the
 * few thousand texts the store sends is about as likely as 1 in 10^12.
 */
const names = new Map<string, string>();

function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** `onehop_` and 16 hex digits of the text's hash (remembered per text: the store sends the same few texts again and again). */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `onehop_${hash64(text)}`));
  return name;
}
