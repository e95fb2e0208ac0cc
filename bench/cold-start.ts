/**
 * pnpm bench (second part), or pnpm bench:cold: the cold start of
 * `import('@onehop/core')` beside zod's own import, each a whole Node
 * process (start-up included), as a serverless invocation pays it.
 *
 * The two commands run in turn (zod, core, zod, core, …) so a machine that
 * slows down slows both; each process reports its own CPU time
 * (`process.cpuUsage()`, user + system, from process start) and the wall
 * time is taken around it. Medians of BENCH_COLD_RUNS runs (default 15),
 * and the median of the pairwise ratios. Both resolve the built packages as
 * an application does (run `pnpm build` first; `pnpm bench` does).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
// From core's folder, so zod is core's own copy and @onehop/core its build.
const CWD = fileURLToPath(new URL('../packages/core/', import.meta.url));

const COMMANDS = {
  'node alone': '',
  'import zod': "await import('zod');",
  "import('@onehop/core')": "await import('@onehop/core');",
  '@onehop/core + @onehop/memory': "await import('@onehop/core'); await import('@onehop/memory');",
} as const;
type Name = keyof typeof COMMANDS;

interface Run {
  wallMs: number;
  cpuMs: number;
}

function once(code: string): Run {
  const script = `${code} const u = process.cpuUsage(); console.log((u.user + u.system) / 1000);`;
  const start = performance.now();
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: CWD, encoding: 'utf8' });
  return { wallMs: performance.now() - start, cpuMs: Number(output.trim()) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const names = Object.keys(COMMANDS) as Name[];
const runs = new Map<Name, Run[]>(names.map((name) => [name, []]));
for (const name of names) once(COMMANDS[name]); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const name of names) runs.get(name)!.push(once(COMMANDS[name]));

const zod = runs.get('import zod')!;
console.log(`Cold start, whole process, median of ${RUNS} runs (Node ${process.version}):`);
console.log(`${'command'.padEnd(32)}${'wall ms'.padStart(10)}${'cpu ms'.padStart(10)}${'cpu ÷ zod'.padStart(12)}${'wall ÷ zod'.padStart(12)}`);
for (const name of names) {
  const mine = runs.get(name)!;
  const ratio = (pick: (run: Run) => number) => median(mine.map((run, i) => pick(run) / pick(zod[i]!))).toFixed(2);
  console.log(
    `${name.padEnd(32)}${median(mine.map((r) => r.wallMs))
      .toFixed(0)
      .padStart(10)}${median(mine.map((r) => r.cpuMs))
      .toFixed(0)
      .padStart(10)}` + `${ratio((r) => r.cpuMs).padStart(12)}${ratio((r) => r.wallMs).padStart(12)}`,
  );
}
