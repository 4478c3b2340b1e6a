import { localCluster, type ScatterGather } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import { nowMs, sleep, withTimeout } from '../timing.js';

const START_TIMEOUT_MS = 40_000;
const CLOSE_TIMEOUT_MS = 20_000;

export interface BenchCluster {
  sg: ScatterGather;
  servers: number;
  executors: number;
  /** The controller's and executors' pids, to check none outlives `close`. */
  pids: number[];
  /** From calling `localCluster` to `ready()` resolving. */
  readyMs: number;
}

/** The cluster every one of our cases runs on: `localCluster` on 127.0.0.1, as a user starts one. */
export async function startBenchCluster(options: { servers: number; procs: number }): Promise<BenchCluster> {
  const started = nowMs();
  const sg = await withTimeout(localCluster({ servers: options.servers, procs: options.procs, readyTimeoutMs: START_TIMEOUT_MS }), START_TIMEOUT_MS, 'starting the local cluster');
  try {
    const { servers, executors } = await sg.ready({ timeoutMs: START_TIMEOUT_MS });
    const readyMs = nowMs() - started;
    const status = await withTimeout(sg.status(), 10_000, 'the cluster status');
    return { sg, servers, executors, readyMs, pids: [status.controller.pid, ...status.executors.map((e) => e.pid)] };
  } catch (error) {
    await withTimeout(sg.close(), CLOSE_TIMEOUT_MS, 'closing the local cluster').catch(() => undefined);
    throw error;
  }
}

/**
 * Closes the cluster (bounded), then makes sure the controller and executors
 * are gone; any still there after a grace period is SIGKILLed. Returns those
 * it had to kill: `close` should have stopped them.
 */
export async function closeBenchCluster(cluster: BenchCluster): Promise<number[]> {
  await withTimeout(cluster.sg.close(), CLOSE_TIMEOUT_MS, 'closing the local cluster').catch(() => undefined);
  const deadline = Date.now() + 3_000;
  let alive = cluster.pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return alive;
}

/** Closes a cluster a case started for itself; processes that had to be killed make it fail. */
export async function closeCaseCluster(cluster: BenchCluster): Promise<void> {
  const killed = await closeBenchCluster(cluster);
  if (killed.length > 0) throw new Error(`processes outlived close and were SIGKILLed: ${killed.join(', ')}`);
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A case whose every run meets a cluster as a user first does: `measure` on a
 * fresh `localCluster(options)`, closed after; the setup is one such run, unmeasured.
 */
export function freshClusterCase<M extends Record<string, number>>(key: string, options: { servers: number; procs: number }, measure: (cluster: BenchCluster) => Promise<M>): BenchCase {
  async function once(): Promise<M> {
    const cluster = await startBenchCluster(options);
    try {
      return await measure(cluster);
    } finally {
      await closeCaseCluster(cluster);
    }
  }
  return {
    key,
    async setup() {
      await once();
    },
    run: once,
    async close() {},
  };
}
