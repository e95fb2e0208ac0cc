#!/usr/bin/env node
/**
 * Fails when the pending changesets would release a package as 1.0.0 (any
 * 0.x → 1.x move) or skip a version, which is what a minor bump of
 * @onehop/core did to its peer dependents before the packages were released
 * as one fixed group. Run by CI after install:
 *
 *   node scripts/check-release-plan.mjs            # runs `changeset status --output`
 *   node scripts/check-release-plan.mjs plan.json  # checks a saved plan
 *
 * Going to 1.0 on purpose is a decision: set ALLOW_1_0 below in that release.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALLOW_1_0 = false;

const root = fileURLToPath(new URL('..', import.meta.url));

/** `major.minor.patch` as numbers, or undefined for anything else (pre-releases included). */
function parse(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match ? match.slice(1).map(Number) : undefined;
}

/** What is wrong with a release plan's releases, one sentence each. */
export function releasePlanProblems(releases) {
  const problems = [];
  for (const { name, type, oldVersion, newVersion } of releases) {
    if (type === 'none') continue;
    const from = parse(oldVersion);
    const to = parse(newVersion);
    if (!from || !to) {
      problems.push(`${name}: ${oldVersion} → ${newVersion} is not a plain major.minor.patch release`);
      continue;
    }
    const [major, minor, patch] = from;
    const next = [`${major}.${minor}.${patch + 1}`, `${major}.${minor + 1}.0`, `${major + 1}.0.0`];
    if (!next.includes(newVersion)) problems.push(`${name}: ${oldVersion} → ${newVersion} skips a version (the next one is ${next.join(', ')})`);
    if (major === 0 && to[0] >= 1 && !ALLOW_1_0) problems.push(`${name}: ${oldVersion} → ${newVersion} would leave 0.x (a ${type} bump)`);
  }
  return problems;
}

/**
 * `changeset status` compares HEAD with the base branch (it also fails when a
 * package changed without a changeset), so it needs that branch locally. A
 * clone of another branch has only origin/<base>: then the same release plan
 * is read from the changesets directly, without the comparison.
 */
async function pendingPlan() {
  const { baseBranch = 'main' } = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
  if (spawnSync('git', ['rev-parse', '--verify', '--quiet', baseBranch], { cwd: root }).status !== 0) {
    console.log(`"${baseBranch}" is not a local branch here: reading the pending changesets without comparing with it`);
    const fromCli = createRequire(createRequire(import.meta.url).resolve('@changesets/cli/package.json'));
    return fromCli('@changesets/get-release-plan').default(root);
  }
  const dir = mkdtempSync(join(tmpdir(), 'onehop-release-plan-'));
  const file = join(dir, 'plan.json');
  try {
    execFileSync('pnpm', ['exec', 'changeset', 'status', '--output', file], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const plan = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], 'utf8')) : await pendingPlan();
const releases = plan.releases.filter((r) => r.type !== 'none');
for (const r of releases) console.log(`${r.name}: ${r.oldVersion} → ${r.newVersion} (${r.type})`);
const problems = releasePlanProblems(plan.releases);
if (problems.length > 0) {
  console.error(`\nThe pending release is not what we publish:\n- ${problems.join('\n- ')}`);
  console.error('Check the bumps in .changeset/*.md and the fixed group and peer ranges in .changeset/config.json and packages/*/package.json.');
  process.exit(1);
}
console.log(releases.length > 0 ? 'release plan: every package moves to its next version, none leaves 0.x' : 'release plan: nothing to release');
