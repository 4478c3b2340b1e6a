import { Worker } from 'node:worker_threads';

// Runs on its own thread, so it fires even while task code keeps the main thread busy forever.
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.parentPid) process.kill(process.pid, 'SIGKILL'); }, workerData.periodMs);
`;

/**
 * Kills this process the moment its parent is gone (even after `kill -9` of the
 * parent, when no signal or IPC close can be relied on): executors never outlive
 * their worker server.
 */
export function watchParent(parentPid: number, periodMs = 200): void {
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL');
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { parentPid, periodMs } });
  worker.unref();
}
