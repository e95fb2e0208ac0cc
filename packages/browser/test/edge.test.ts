/**
 * The click endpoint on a Web-standard runtime: bundled as an edge bundler
 * does (no Node built-in resolves), then run in a context that has the
 * language and the Web globals an edge runtime offers, and no `process`,
 * `require` or `Buffer`. The click it records carries the same keyed IP hash
 * Node computes, so clicks counted on the edge and on Node match.
 */
import { createContext, runInContext } from 'node:vm';
import { keyedHash } from '@onehop/core';
import { describe, expect, it } from 'vitest';
import { bundleNeutral } from '../../../testing/bundle';

const HERE = new URL('.', import.meta.url);

const HASH_KEY = 'edge-runtime-test-hash-key-0123456789abcdef';

const APP = `
import { createClickHandler } from '@onehop/browser/server';
import { createOnehop } from '@onehop/core';
import { createMemoryStore } from '@onehop/memory';

globalThis.run = async () => {
  const onehop = createOnehop({ store: createMemoryStore(), program: { id: 'shop', currency: 'USD', privacy: { hashKey: '${HASH_KEY}' } } });
  await onehop.enroll({ userId: 'alice', code: 'ABCD2345' });
  const handler = createClickHandler(onehop, { ip: (request) => request.headers.get('x-real-ip') });
  const click = (body) => handler(new Request('https://shop.example/api/onehop/click', { method: 'POST', body, headers: { 'x-real-ip': '203.0.113.9' } }));
  const recorded = await click(JSON.stringify({ code: 'abcd-2345', url: 'https://shop.example/?ref=ABCD2345', source: 'news' }));
  const refused = await click('not json');
  const clicks = await onehop.listClicks({ userId: 'alice' });
  return { recorded: recorded.status, refused: refused.status, clicks: clicks.map((c) => ({ code: c.code, source: c.source, ipHash: c.ipHash })) };
};
`;

/** What Web-standard runtimes (Workers, Vercel Edge, Deno) offer beyond the language. */
const webGlobals = () => ({
  Request,
  Response,
  Headers,
  URL,
  URLSearchParams,
  TextEncoder,
  TextDecoder,
  crypto,
  btoa,
  atob,
  setTimeout,
  clearTimeout,
  queueMicrotask,
  structuredClone,
  console,
});

describe('the click endpoint on a Web-standard runtime', () => {
  it('bundles with --platform=neutral and records a click in a context without Node', async () => {
    const { code, gzipped } = await bundleNeutral(APP, HERE, { format: 'iife' });
    console.log(`click endpoint with the engine and the memory store: ${gzipped} bytes gzipped`);
    const context = createContext(webGlobals());
    runInContext(code, context);
    expect(runInContext('typeof process + typeof require + typeof Buffer', context)).toBe('undefinedundefinedundefined');
    const result = await (context.run as () => Promise<unknown>)();
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      recorded: 204,
      refused: 400,
      clicks: [{ code: 'ABCD2345', source: 'news', ipHash: keyedHash(HASH_KEY, 'ip', '203.0.113.9') }],
    });
  });
});
