import { Worker } from 'node:worker_threads';

// Runs on its own thread, so it fires even while task code keeps the main thread busy forever.
// A parent killed with SIGKILL cannot remove its private ipc directory; its executors do.
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { rmSync } = require('node:fs');
setInterval(() => {
  if (process.ppid === workerData.parentPid) return;
  if (workerData.leftover) rmSync(workerData.leftover, { recursive: true, force: true });
  process.kill(process.pid, 'SIGKILL');
}, workerData.periodMs);
`;

/**
 * Kills this process the moment its parent is gone (even after `kill -9` of the
 * parent, when no signal or IPC close can be relied on): executors never outlive
 * their worker server. `leftover` is a directory of the parent's to remove then.
 */
export function watchParent(parentPid: number, leftover: string | undefined, periodMs = 200): void {
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL');
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { parentPid, leftover, periodMs } });
  worker.unref();
}
