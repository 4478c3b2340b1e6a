import { localCluster, RemoteError, type ScatterSet } from '@scattergather/kernel-ext';
import { peakRssMiB, rssMiB } from '../soak/process-memory.js';
import { percentile } from '../stats.js';
import { nowMs, sleep, withTimeout } from '../timing.js';

export interface MillionReport {
  tasks: number;
  /** Controller RSS once ready, and its high-water mark by the last result. */
  controllerMiB: { start: number; peak: number };
  addJobS: number;
  /** How long poll() itself took, p99. */
  pollP99Ms: number;
  /** From when each poll was due (its timer) to its answer, p99: the client's event loop, busy decoding results or collecting garbage, counts here. */
  pollLateP99Ms: number;
  polls: number;
  seconds: number;
}

/**
 * `tasks` no-op tasks queued at once on a real localCluster of `procs`
 * executors: how long `addJob` takes, how much memory the controller needs to
 * hold them, and how long `poll()` takes (p99 over polls every `pollEveryMs`
 * until the last result), and how late it answers counted from when it was due;
 * each result is counted: a lost or doubled one fails it.
 */
export async function millionQueued(options: { tasks: number; procs: number; pollEveryMs: number; timeoutMs: number; log: (line: string) => void }): Promise<MillionReport> {
  const sg = await localCluster({ servers: 1, procs: options.procs });
  try {
    await sg.ready({ timeoutMs: 60_000 });
    const controllerPid = (await sg.status()).controller.pid;
    const start = rssMiB(controllerPid);
    const set: ScatterSet = Array.from({ length: options.tasks }, (_, i) => [[i]]);
    options.log(`  scale: ${options.tasks.toLocaleString('en-US')} × echo(i) queued at once`);

    const started = nowMs();
    const h = sg.addJob(set, { fn: 'echo' });
    const addJobS = (nowMs() - started) / 1000;
    const seen = new Uint8Array(options.tasks);
    const pollMs: number[] = [];
    const lateMs: number[] = [];
    let arrived = 0;
    const drain = async (): Promise<void> => {
      // A poll is asked for when its timer is due; the wait counts from then, so a client event loop
      // too busy to run it (decoding a flood of results, say) counts as much as poll's own work.
      let due = nowMs();
      while (arrived < options.tasks) {
        const asked = nowMs();
        const { results } = sg.poll();
        const answered = nowMs();
        pollMs.push(answered - asked);
        lateMs.push(answered - due);
        for (const r of results) {
          if (r.set !== h.id) continue;
          if (r.value instanceof RemoteError || r.value !== r.index) throw new Error(`task ${r.index} returned ${String(r.value)}`);
          if (seen[r.index] === 1) throw new Error(`task ${r.index} was delivered twice`);
          seen[r.index] = 1;
          arrived += 1;
        }
        due = nowMs() + options.pollEveryMs;
        await sleep(options.pollEveryMs);
      }
    };
    await withTimeout(drain(), options.timeoutMs, `${options.tasks} results (${arrived} arrived)`);
    return {
      tasks: options.tasks,
      controllerMiB: { start, peak: peakRssMiB(controllerPid) },
      addJobS,
      pollP99Ms: percentile(pollMs, 99),
      pollLateP99Ms: percentile(lateMs, 99),
      polls: pollMs.length,
      seconds: (nowMs() - started) / 1000,
    };
  } finally {
    await withTimeout(sg.close(), 20_000, 'closing the local cluster').catch(() => undefined);
  }
}
