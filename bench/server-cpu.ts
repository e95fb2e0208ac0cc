import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time in ms of the PostgreSQL server's processes, read from /proc: only
 * when the server runs on this machine (Linux) and its processes are visible;
 * null otherwise. /proc counts in clock ticks of 1/100 s on Linux. A backend
 * that ended (pgbench's, when it disconnects) is no longer in /proc, but its
 * time was added to the postmaster's "children" fields when it was reaped, so
 * those count too.
 */
export function serverCpuMs(): number | null {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, and the ended children's cutime, cstime.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    } catch {
      // The process ended meanwhile.
    }
  }
  return found ? ticks * 10 : null;
}
