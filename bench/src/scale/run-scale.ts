import { writeResultsFile } from '../results-file.js';
import { currentLoad } from '../machine.js';
import { millionQueued, type MillionReport } from './million-queued.js';
import { scaleEfficiency } from './scale-efficiency.js';

const SERVERS = 100;
const EXECUTORS = 20;
const TASKS = 100_000;
const TASK_MS = 100;
const MILLION = 1_000_000;

export interface ScaleResults {
  startedAt: string;
  loadAverage: { start: number; end: number };
  servers: number;
  executorsPerServer: number;
  tasks: number;
  taskMs: number;
  efficiencyPct: number;
  queued: MillionReport;
}

/** The one line the issue asks for. */
export function formatScaleLine(r: ScaleResults): string {
  const q = r.queued;
  return `scale: ${r.servers * r.executorsPerServer} executors on ${r.servers} servers: efficiency ${r.efficiencyPct.toFixed(1)} %; `
    + `${q.tasks.toLocaleString('en-US')} queued: controller RSS ${q.controllerMiB.peak.toFixed(0)} MiB, addJob ${q.addJobS.toFixed(2)} s, poll p99 ${q.pollP99Ms.toFixed(1)} ms`;
}

/**
 * `npm run bench -- --scale`: one controller against 100 simulated servers of
 * 20 executors (100,000 × 100 ms tasks), then 1,000,000 no-op tasks queued at
 * once on a real local cluster. Prints the scale line (and details), writes JSON.
 */
export async function runScale(out: string, log: (line: string) => void): Promise<ScaleResults> {
  const startedAt = new Date().toISOString();
  const loadStart = currentLoad();
  const efficiencyPct = await scaleEfficiency({ servers: SERVERS, executors: EXECUTORS, tasks: TASKS, taskMs: TASK_MS, timeoutMs: 300_000, log });
  log(`  scale: efficiency ${efficiencyPct.toFixed(1)} %`);
  const queued = await millionQueued({ tasks: MILLION, procs: 2, pollEveryMs: 10, timeoutMs: 300_000, log });
  const results: ScaleResults = {
    startedAt, loadAverage: { start: loadStart, end: currentLoad() },
    servers: SERVERS, executorsPerServer: EXECUTORS, tasks: TASKS, taskMs: TASK_MS, efficiencyPct, queued,
  };
  writeResultsFile(out, results);
  return results;
}

/** The details under the line: what was measured, and the load it ran under. */
export function formatScaleDetails(r: ScaleResults): string {
  const q = r.queued;
  return [
    `   ${r.tasks.toLocaleString('en-US')} × sleep(${r.taskMs} ms), one real controller, ${r.servers} simulated servers × ${r.executorsPerServer} executors (bench/src/scale/simulated-server.ts); efficiency = ideal time / time from addJob to the last result`,
    `   ${q.tasks.toLocaleString('en-US')} × echo(i) in one addJob on localCluster({ servers: 1, procs: 2 }): controller RSS ${q.controllerMiB.start.toFixed(0)} MiB once ready, peak ${q.controllerMiB.peak.toFixed(0)} MiB; `
      + `poll() p99 over ${q.polls} polls every 10 ms (from when each was due to its answer, p99 ${q.pollLateP99Ms.toFixed(1)} ms); every result arrived once, in ${q.seconds.toFixed(1)} s`,
    `   1-min load average ${r.loadAverage.start.toFixed(2)} at start, ${r.loadAverage.end.toFixed(2)} at end`,
  ].join('\n');
}
