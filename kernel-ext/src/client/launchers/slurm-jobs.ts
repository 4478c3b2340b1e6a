import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runSlurm, unfinishedJobs } from './slurm-commands.js';

const GONE_TIMEOUT_MS = 30_000;

/**
 * The Slurm jobs of one client. A small helper process holds their ids and
 * scancels them when its stdin ends: at close(), or when the client dies
 * without closing (kill -9, a crashed kernel), so no job outlives its client.
 */
export class SlurmJobs {
  readonly ids: string[] = [];
  private readonly canceller: ChildProcess;
  private readonly cancellerExited: Promise<unknown>;

  constructor() {
    this.canceller = spawn(process.execPath, [join(__dirname, 'cancel-jobs-at-eof.js')], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    this.cancellerExited = new Promise((resolve) => {
      this.canceller.once('exit', resolve);
      this.canceller.once('error', resolve);
    });
    this.canceller.stdin?.on('error', () => undefined);
    // Neither the helper nor its pipe may keep the client's event loop alive.
    this.canceller.unref();
    (this.canceller.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }

  add(id: string): void {
    this.ids.push(id);
    this.canceller.stdin?.write(`${id}\n`);
  }

  /** Cancels every job and waits (bounded) until Slurm lists none of them, so their workers are gone. */
  async cancel(): Promise<void> {
    // From here the wait is the caller's: a plain script awaiting close() would otherwise exit half-way, exit code 0.
    this.canceller.ref();
    this.canceller.stdin?.end();
    const stopTimer = new AbortController();
    const helped = await Promise.race([
      this.cancellerExited.then(() => this.canceller.exitCode === 0),
      sleep(10_000, false, { signal: stopTimer.signal }).catch(() => false),
    ]);
    // Neither the timer nor a helper still stuck in scancel may hold the script past this wait.
    stopTimer.abort();
    this.canceller.unref();
    // Without the helper's word that scancel ran, run it here.
    if (!helped && this.ids.length > 0) await runSlurm('scancel', this.ids).catch(() => undefined);
    const deadline = Date.now() + GONE_TIMEOUT_MS;
    while ((await unfinishedJobs(this.ids)).length > 0 && Date.now() < deadline) await sleep(250);
  }
}
