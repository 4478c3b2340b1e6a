import { localCluster, RemoteError, type ScatterGather } from '@scattergather/kernel-ext';
import { HeapAfterGc } from './heap-after-gc.js';
import { parentOf, rssMiB } from './process-memory.js';

export interface SoakOptions {
  tasks: number;
  /** Tasks per set: the soak queues the whole load up front, in sets of this size. */
  setSize: number;
  killEveryMs: number;
  /** How long each task keeps its executor busy, so the soak lasts long enough for many kills. */
  taskMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

export interface SoakReport {
  tasks: number;
  taskMs: number;
  seconds: number;
  executorsKilled: number;
  lost: number;
  duplicated: number;
  /** Tasks that ran out of retries: delivered, as RemoteError ExecutorCrashed. */
  gaveUp: number;
  controllerMiB: MemoryTrace;
  serverMiB: MemoryTrace;
}

/** RSS before the load is queued, once the first tenth of the results arrived, and at the end; the live heap (after a full GC) before and at the end. */
export interface MemoryTrace { start: number; tenth: number; end: number; heapStart: number; heapEnd: number }

/**
 * Memory stays flat: at the end, RSS is within 1.25× of what it was after the
 * first tenth; or, if not, the live heap is back within 1.25× of where it was
 * before the load, so what RSS kept is the engine's, not objects of ours.
 */
export function memoryFlat(trace: MemoryTrace): boolean {
  return trace.end <= 1.25 * trace.tenth || trace.heapEnd <= 1.25 * trace.heapStart;
}

async function localClusterWith(environment: Record<string, string>): Promise<ScatterGather> {
  const saved = Object.keys(environment).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, environment);
  try {
    return await localCluster({ servers: 1, procs: 2 });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A small task: busy for `ms`, then returns `i`. */
function busyFor(i: number, ms: number): number {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* work */ }
  return i;
}

/**
 * Many small tasks while an executor is SIGKILLed every `killEveryMs`: counts
 * each task's deliveries (from poll, which reports each arrival once) to show
 * none is lost and none comes twice, and samples controller and server memory.
 */
export async function soak(options: SoakOptions): Promise<SoakReport> {
  const heap = new HeapAfterGc();
  const sg = await localClusterWith(heap.environment());
  try {
    await sg.ready();
    const status = await sg.status();
    const controllerPid = status.controller.pid;
    const serverPid = parentOf(status.executors[0]?.pid ?? -1);
    const memory = { controller: rssMiB(controllerPid), server: rssMiB(serverPid) };
    const heapStart = { controller: await heap.measure(controllerPid), server: await heap.measure(serverPid) };
    let tenth: { controller: number; server: number } | undefined;

    const sets = new Map<number, Uint8Array>();
    const started = Date.now();
    for (let queued = 0; queued < options.tasks; queued += options.setSize) {
      const size = Math.min(options.setSize, options.tasks - queued);
      const h = sg.addJob(Array.from({ length: size }, (_, i) => [[queued + i, options.taskMs]]), { fn: busyFor });
      sets.set(h.id, new Uint8Array(size));
    }

    let killed = 0;
    let gaveUp = 0;
    let arrived = 0;
    let nextKill = Date.now() + options.killEveryMs;
    const deadline = Date.now() + options.timeoutMs;
    while (arrived < options.tasks && Date.now() < deadline) {
      for (const r of sg.poll().results) {
        const counts = sets.get(r.set);
        if (counts === undefined) continue;
        counts[r.index] = (counts[r.index] ?? 0) + 1;
        arrived += 1;
        if (r.value instanceof RemoteError) gaveUp += 1;
      }
      if (tenth === undefined && arrived >= options.tasks / 10) tenth = { controller: rssMiB(controllerPid), server: rssMiB(serverPid) };
      if (Date.now() >= nextKill) {
        nextKill += options.killEveryMs;
        const executors = (await sg.status()).executors;
        const victim = executors[killed % Math.max(1, executors.length)];
        if (victim !== undefined) {
          process.kill(victim.pid, 'SIGKILL');
          killed += 1;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (Date.now() - started) / 1000;
    let lost = 0;
    let duplicated = 0;
    for (const counts of sets.values()) {
      for (const n of counts) {
        if (n === 0) lost += 1;
        else duplicated += n - 1;
      }
    }
    options.log(`  soak: ${arrived} of ${options.tasks} results in ${seconds.toFixed(1)} s, ${killed} executors killed`);
    const rssEnd = { controller: rssMiB(controllerPid), server: rssMiB(serverPid) };
    const heapEnd = { controller: await heap.measure(controllerPid), server: await heap.measure(serverPid) };
    return {
      tasks: options.tasks, taskMs: options.taskMs, seconds, executorsKilled: killed, lost, duplicated, gaveUp,
      controllerMiB: { start: memory.controller, tenth: tenth?.controller ?? NaN, end: rssEnd.controller, heapStart: heapStart.controller, heapEnd: heapEnd.controller },
      serverMiB: { start: memory.server, tenth: tenth?.server ?? NaN, end: rssEnd.server, heapStart: heapStart.server, heapEnd: heapEnd.server },
    };
  } finally {
    await sg.close();
    heap.close();
  }
}

export function formatSoak(r: SoakReport): string {
  const mib = (m: MemoryTrace): string => [
    `${m.start.toFixed(1)} before the load, ${m.tenth.toFixed(1)} after the first tenth, ${m.end.toFixed(1)} MiB at the end (${(m.end / m.tenth).toFixed(2)}×)`,
    `                                 live heap after a full GC ${m.heapStart.toFixed(1)} before the load, ${m.heapEnd.toFixed(1)} MiB at the end (${(m.heapEnd / m.heapStart).toFixed(2)}×)`,
    `                                 flat (RSS ≤ 1.25× the first tenth's, or live heap ≤ 1.25× the start's): ${memoryFlat(m) ? 'yes' : 'NO'}`,
  ].join('\n');
  return [
    `soak: ${r.tasks.toLocaleString('en-US')} small tasks (each busy ${r.taskMs} ms) while one executor is SIGKILLed every second (localCluster, 1 server × 2 executors)`,
    `   tasks lost                    ${r.lost}   (must be 0)`,
    `   results duplicated            ${r.duplicated}   (must be 0)`,
    `   executors killed              ${r.executorsKilled}`,
    `   out of retries (delivered as RemoteError ExecutorCrashed)  ${r.gaveUp}`,
    `   took                          ${r.seconds.toFixed(1)} s (${Math.round(r.tasks / r.seconds).toLocaleString('en-US')} tasks/s)`,
    `   controller memory (RSS)       ${mib(r.controllerMiB)}`,
    `   worker server memory (RSS)    ${mib(r.serverMiB)}`,
  ].join('\n');
}
