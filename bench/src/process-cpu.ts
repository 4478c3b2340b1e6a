import { readdirSync, readFileSync } from 'node:fs';

/** Linux counts CPU time in ticks of USER_HZ, which its ABI fixes at 100 per second. */
const MS_PER_TICK = 10;

/** Parent pid, name and CPU ms (user + system) of each live process, from /proc. */
function processTable(): Array<{ pid: number; ppid: number; name: string; cpuMs: number }> {
  const table = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      table.push({ pid: Number(entry), ppid: Number(fields[1]), name: stat.slice(open + 1, close), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK });
    } catch {
      // it ended while we looked
    }
  }
  return table;
}

/** CPU ms used so far by the descendants of `root` named like `name`, and by theirs (a browser's renderers, say). */
export function descendantsCpuMs(root: number, name: RegExp): number {
  const table = processTable();
  const inside = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (inside.has(p.pid)) continue;
      if ((p.ppid === root && name.test(p.name)) || inside.has(p.ppid)) {
        inside.add(p.pid);
        grew = true;
      }
    }
  }
  return table.filter((p) => inside.has(p.pid)).reduce((ms, p) => ms + p.cpuMs, 0);
}
