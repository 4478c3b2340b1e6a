import { readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks of USER_HZ, which its ABI fixes at 100 per second. */
const TICKS_PER_SECOND = 100;
const SAMPLE_EVERY_MS = 1000;

/** One process's resident memory in bytes and CPU use (1 = one core busy) over the last sample interval. */
export interface Usage { rss: number; cpu: number }

interface Reading { at: number; cpuTicks: number; usage: Usage }

/**
 * RSS and CPU of child processes from /proc, read at most once a second
 * whatever asks how often: `get` answers from the last reading, `refresh`
 * takes the next one when it is due. Where /proc is missing (not Linux) there
 * are no figures.
 */
export class ProcessUsage {
  private readonly readings = new Map<number, Reading>();
  private lastSample = 0;

  get(pid: number): Usage | undefined {
    return this.readings.get(pid)?.usage;
  }

  /** Starts a new reading of `pids` when the last one is a second old; forgets pids not listed. */
  refresh(pids: number[]): void {
    const now = Date.now();
    if (now - this.lastSample < SAMPLE_EVERY_MS) return;
    this.lastSample = now;
    for (const pid of this.readings.keys()) if (!pids.includes(pid)) this.readings.delete(pid);
    for (const pid of pids) this.read(pid);
  }

  /**
   * Read synchronously: /proc files are made in memory, a few µs each, while an
   * async read costs several thread-pool round trips, each waking the event loop
   * (two files of 16 executors each second woke an idle server 160 times a second).
   */
  private read(pid: number): void {
    let stat: string;
    let status: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      status = readFileSync(`/proc/${pid}/status`, 'latin1');
    } catch {
      return;
    }
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s*(\d+)/.exec(status)?.[1] ?? NaN);
    const at = Date.now();
    const before = this.readings.get(pid);
    const cpu = before === undefined || at <= before.at ? 0 : (cpuTicks - before.cpuTicks) / TICKS_PER_SECOND / ((at - before.at) / 1000);
    if (Number.isFinite(cpuTicks) && Number.isFinite(rssKb)) this.readings.set(pid, { at, cpuTicks, usage: { rss: rssKb * 1024, cpu: Math.max(0, cpu) } });
  }
}
