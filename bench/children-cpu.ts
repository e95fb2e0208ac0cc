import { readFileSync } from 'node:fs';

/**
 * CPU time in ms of this process's children that have ended (pgbench runs),
 * from /proc/self/stat (clock ticks of 1/100 s on Linux); null where /proc
 * is not there.
 */
export function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}
