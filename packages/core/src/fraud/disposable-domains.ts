/**
 * The default disposable-domain check: the `mailchecker` list (about 55,000
 * domains, 981 KB of JavaScript). It is loaded on first use, not when the
 * engine is imported: a program that brings its own check
 * (`createOnehop({ fraud: { isDisposableDomain } })`) or turns the rule off
 * (`fraud.disposableEmail: false`) never loads it, and every other program
 * loads it at its first sign-up with an e-mail address. Bundlers put the
 * dynamic import in a chunk of its own.
 */

/** The part of mailchecker the check uses (its list is a live `Set`: `addCustomDomains` adds to it). */
interface Mailchecker {
  blacklist(): Set<string>;
}

let mailchecker: Mailchecker | undefined;
let loading: Promise<Mailchecker> | undefined;

const moduleOf = (loaded: Mailchecker | { default: Mailchecker }): Mailchecker => ('default' in loaded ? loaded.default : loaded);

/**
 * Loads the mailchecker list, once. The engine's disposable-email rule does
 * it by itself; call it before `isDisposableDomain` on a runtime without
 * Node's module loader (edge runtimes), where that cannot load it on demand.
 * On Node it is loaded through Node's own loader (so it works in CommonJS
 * test runners without ES module support, such as Jest); where that finds no
 * copy (a bundle deployed without node_modules) and elsewhere, through a
 * dynamic `import()`.
 */
export function loadDisposableDomains(): Promise<void> {
  mailchecker ??= requireMailchecker();
  if (mailchecker !== undefined) return Promise.resolve();
  loading ??= import('mailchecker').then((loaded) => (mailchecker = moduleOf(loaded)));
  return loading.then(() => undefined);
}

/** Whether `domain` or a parent domain of it is on the list. */
function listed(list: Set<string>, domain: string): boolean {
  let d = domain.toLowerCase();
  for (;;) {
    if (list.has(d)) return true;
    const dot = d.indexOf('.');
    if (dot === -1) return false;
    d = d.slice(dot + 1);
  }
}

/**
 * Default disposable-domain predicate: the `mailchecker` list, checking the
 * domain and each parent domain. Synchronous: on Node (20.16 and later) it
 * loads the list on its first call if `loadDisposableDomains` has not;
 * elsewhere await `loadDisposableDomains()` first.
 */
export function isDisposableDomain(domain: string): boolean {
  mailchecker ??= requireMailchecker();
  if (mailchecker === undefined) {
    throw new TypeError(
      'isDisposableDomain: the mailchecker list is not loaded, and this runtime cannot load it synchronously. Call `await loadDisposableDomains()` first.',
    );
  }
  return listed(mailchecker.blacklist(), domain);
}

/** The check the engine runs by default: loads the list on its first call. */
export async function isDisposableDomainLoading(domain: string): Promise<boolean> {
  if (mailchecker === undefined) await loadDisposableDomains();
  return listed(mailchecker!.blacklist(), domain);
}

/** mailchecker through Node's module loader, reached without importing a Node module; undefined where there is none or it finds no copy. */
function requireMailchecker(): Mailchecker | undefined {
  type NodeModule = { createRequire(from: string): (id: string) => Mailchecker };
  const nodeModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:module') as NodeModule | undefined;
  if (nodeModule === undefined) return undefined;
  try {
    return nodeModule.createRequire(import.meta.url)('mailchecker');
  } catch {
    return undefined;
  }
}
