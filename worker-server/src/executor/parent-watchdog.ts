import { Worker } from 'node:worker_threads';
import { ipcDirectoryOf } from '@scattergather/protocol';

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
 * their worker server. The directory of the parent's ipc `endpoint` goes with it.
 */
export function watchParent(parentPid: number, endpoint: string, periodMs = 200): void {
  const leftover = ipcDirectoryOf(endpoint);
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL');
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { parentPid, leftover, periodMs } });
  worker.unref();
}
