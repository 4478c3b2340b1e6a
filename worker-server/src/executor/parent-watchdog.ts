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

/** Idle this long, an executor starts its watchdog: a user's next cell, or the end of a set, is such a moment. */
const IDLE_MS = 200;
/** Up this long, an executor starts its watchdog before any task it is given, idle or not. */
const GRACE_MS = 1000;

/**
 * When to start the watchdog. Its thread is an isolate of its own (~20 ms of CPU to start), which a fresh
 * cluster's first set used to pay in each executor (measured on 2 cores: 47,000 → 51,000 tasks/s when
 * deferred). So it starts once the executor is idle, or at the latest before the first task given to it
 * after GRACE_MS. Until then the server's IPC channel closing ('disconnect') ends the executor, except while
 * a task begun in its first second keeps its main thread busy.
 */
export class ParentWatch {
  private readonly upAt = Date.now();
  private idleTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly start: () => void) {}

  /** Nothing to run now (or only promises to wait for). */
  idle(): void {
    if (this.started || this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => this.begin(), IDLE_MS);
  }

  /** Tasks are about to run. */
  busy(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.started && Date.now() - this.upAt >= GRACE_MS) this.begin();
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    clearTimeout(this.idleTimer);
    this.start();
  }
}
