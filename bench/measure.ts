/** Shared by the PostgreSQL benches: run an operation from concurrent loops and report its rate and latencies. */

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
  /** This process's CPU time (user + system) per operation, in ms. */
  cpuMs: number;
}

/** Runs `op` from `clients` concurrent loops for `seconds`, or until `until` settles. */
export async function measureLoops(clients: number, seconds: number, op: (i: number) => Promise<unknown>, until?: Promise<unknown>): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  let done = false;
  const stop = (until ?? new Promise((resolve) => setTimeout(resolve, seconds * 1000))).then(() => {
    done = true;
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!done) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  await stop;
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    count: latencies.length,
    cpuMs: (used.user + used.system) / 1000 / Math.max(1, latencies.length),
  };
}
