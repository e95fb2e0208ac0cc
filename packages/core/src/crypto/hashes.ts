/**
 * The engine's hashes, synchronous on every runtime: Node's `crypto` where
 * the runtime has it (Node 20.16 and later, Deno, Bun, Workers with Node
 * compatibility), reached through `process.getBuiltinModule` so that no
 * module imports `node:crypto` and a bundle for a Web-standard runtime
 * builds; elsewhere `@noble/hashes` (`crypto/sha256.ts`). Both
 * give the same bytes.
 */
import { hmacSha256 as jsHmacSha256, sha256 as jsSha256 } from './sha256';

interface NodeCrypto {
  hash?: (algorithm: string, data: string, encoding: 'hex') => string;
  createHash(algorithm: string): { update(data: string): { digest(encoding: 'hex'): string } };
  createHmac(algorithm: string, key: string): { update(data: string): { digest(): Uint8Array; digest(encoding: 'hex'): string } };
}

const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

const utf8 = new TextEncoder();
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * SHA-256 of a string's UTF-8 bytes, as hex. On Node, the one-shot
 * `crypto.hash` (Node 20.12 and later) where there is one: for a payload this
 * small about twice as fast as `createHash(…).update(…).digest(…)`.
 */
export const sha256Hex: (data: string) => string = nodeCrypto
  ? typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash!('sha256', data, 'hex')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest('hex')
  : (data) => hex(jsSha256(utf8.encode(data)));

/** HMAC-SHA-256 of a string's UTF-8 bytes under a string key (UTF-8): 32 bytes. */
export const hmacSha256: (key: string, data: string) => Uint8Array = nodeCrypto
  ? (key, data) => new Uint8Array(nodeCrypto.createHmac('sha256', key).update(data).digest())
  : (key, data) => jsHmacSha256(utf8.encode(key), utf8.encode(data));

/** HMAC-SHA-256 of a string's UTF-8 bytes under a string key, as hex. */
export const hmacSha256Hex: (key: string, data: string) => string = nodeCrypto
  ? (key, data) => nodeCrypto.createHmac('sha256', key).update(data).digest('hex')
  : (key, data) => hex(jsHmacSha256(utf8.encode(key), utf8.encode(data)));

/** Bytes as base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Compares two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
