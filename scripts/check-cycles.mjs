#!/usr/bin/env node
/**
 * Fails on any import cycle among the packages' source files
 * (packages/*\/src) beyond those in scripts/import-cycles-allowed.txt. Run by
 * CI as `pnpm check:cycles`.
 *
 * The check works on groups: a group is a set of files that reach each other
 * through imports (a strongly connected component), so every cycle lies
 * inside one group. Each group found must be a group of the allow-list,
 * exactly: a new group, or a file joining an allowed group, fails; so does a
 * group that shrank or vanished, with the lines to write instead, so the
 * list always says what is true today and can only shrink.
 *
 * Run-time imports count; type-only imports (`import type`) are left out
 * (dpdm's transform): they never run, and the store contract's files and the
 * memory store's tables name each other's types on purpose. Imports are read
 * with dpdm.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDependencyTree } from 'dpdm';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALLOWED = 'scripts/import-cycles-allowed.txt';

const tree = await parseDependencyTree('packages/*/src/**/*.ts', {
  cwd: root,
  context: root,
  transform: true,
  skipDynamicImports: false,
});
const name = (file) => relative(root, file).split('\\').join('/');

/** The project's own imports: file → the files it imports (node_modules and unresolved imports left out). */
const graph = new Map();
for (const [file, dependencies] of Object.entries(tree)) {
  if (!dependencies) continue;
  const targets = dependencies.map((d) => d.id).filter((id) => id && tree[id]);
  graph.set(name(file), [...new Set(targets.map(name))].sort());
}

/** Strongly connected components of more than one file, or of one file importing itself (Tarjan). */
function groups() {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (file) => {
    index.set(file, index.size);
    low.set(file, index.get(file));
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file), low.get(next)));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file), index.get(next)));
    }
    if (low.get(file) !== index.get(file)) return;
    const group = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)?.includes(file)) found.push(group.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** The shortest import cycle through `file` (breadth first), as `a -> b -> a`. */
function cycleThrough(file) {
  const from = new Map([[file, null]]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const next of graph.get(current) ?? []) {
      if (next === file) {
        const path = [current];
        while (from.get(path[0])) path.unshift(from.get(path[0]));
        return [...path, file].join(' -> ');
      }
      if (!from.has(next)) {
        from.set(next, current);
        queue.push(next);
      }
    }
  }
  return file;
}

/** The allow-list: groups of file paths, separated by blank lines; `#` starts a comment line. */
function allowedGroups() {
  const blocks = readFileSync(new URL(`../${ALLOWED}`, import.meta.url), 'utf8').split(/\n\s*\n/);
  return blocks
    .map((block) =>
      block
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
        .sort(),
    )
    .filter((group) => group.length > 0);
}

const found = groups();
const allowed = allowedGroups();
const key = (group) => group.join('\n');
const allowedKeys = new Set(allowed.map(key));
const foundKeys = new Set(found.map(key));
const problems = [];
for (const group of found) {
  if (allowedKeys.has(key(group))) continue;
  const known = new Set(allowed.flat());
  const newcomers = group.filter((f) => !known.has(f));
  // Part of an allowed group that split: reported below, with the group it came from.
  if (newcomers.length === 0 && allowed.some((a) => group.every((f) => a.includes(f)))) continue;
  problems.push(`new import cycle among ${group.length} files, e.g. ${cycleThrough(newcomers[0] ?? group[0])}\n  files: ${group.join(', ')}`);
}
for (const group of allowed) {
  if (foundKeys.has(key(group))) continue;
  const now = found.filter((f) => f.some((file) => group.includes(file)));
  // A group that grew is reported above as a new cycle; only a smaller truth replaces an allowed group.
  if (now.some((f) => !f.every((file) => group.includes(file)))) continue;
  problems.push(
    `an allowed group is no longer one (cycles were broken): in ${ALLOWED}, replace the group\n  ${group.join('\n  ')}\nwith ${
      now.length === 0 ? 'nothing' : now.map((g) => `the group\n  ${g.join('\n  ')}`).join('\nand ')
    }`,
  );
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`\nBreak new cycles rather than allow them (see "Import rules" in docs/architecture.md): ${ALLOWED} only shrinks.`);
  process.exit(1);
}
console.log(`${graph.size} modules read; the only import cycles are the ${allowed.length} groups allowed in ${ALLOWED}`);
