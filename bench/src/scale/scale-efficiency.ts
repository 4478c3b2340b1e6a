import { join } from 'node:path';
import { spawnScatterGather, type ScatterSet } from '@scattergather/kernel-ext';
import { checkResults } from '../cases/check-results.js';
import { JsonLineChild } from '../json-line-child.js';
import { nowMs, withTimeout } from '../timing.js';

export interface ScaleOptions {
  servers: number;
  executors: number;
  tasks: number;
  taskMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * One real controller (spawned by a real client, as always) driving
 * `servers` simulated worker servers of `executors` each (sim-servers.js, a
 * process of its own): `tasks` × sleep(`taskMs`) in one set. Returns the
 * efficiency in %: the ideal time (tasks × taskMs / all executors) over the
 * time from `addJob` to the last result held.
 */
export async function scaleEfficiency(options: ScaleOptions): Promise<number> {
  const sim = await JsonLineChild.start<{ urls: string[] }>('the simulated servers', join(__dirname, 'sim-servers.js'), [String(options.servers), String(options.executors)], process.env, 60_000);
  try {
    // The simulated servers have no key; they listen on 127.0.0.1 only.
    const sg = await spawnScatterGather(sim.info.urls, { noKey: true });
    try {
      const { executors } = await sg.ready({ timeoutMs: 60_000 });
      if (executors !== options.servers * options.executors) throw new Error(`the controller sees ${executors} executors, not ${options.servers * options.executors}`);
      const run = async (tasks: number): Promise<number> => {
        const set: ScatterSet = Array.from({ length: tasks }, () => [[options.taskMs]]);
        const started = nowMs();
        const h = sg.addJob(set, { fn: 'sleep' });
        const results = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
        const elapsed = nowMs() - started;
        checkResults('simulated sleep set', results, tasks, (value) => value === options.taskMs);
        return (100 * ((tasks * options.taskMs) / executors)) / elapsed;
      };
      options.log(`  scale: warm-up, one task per executor`);
      await run(executors);
      options.log(`  scale: ${options.tasks.toLocaleString('en-US')} × sleep(${options.taskMs} ms) on ${executors} simulated executors`);
      return await run(options.tasks);
    } finally {
      await withTimeout(sg.close(), 20_000, 'closing the scale client').catch(() => undefined);
    }
  } finally {
    await sim.stop();
  }
}
