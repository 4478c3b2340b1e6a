import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteError, spawnScatterGather, type ScatterGather, type SetHandle } from '@scattergather/kernel-ext';
import { childrenOf, isAlive, startWorker, waitUntil, type WorkerProcess } from '../support/processes';
import { closeAfterEach, tempDirEach } from '../support/per-test';

/** Starts `sleep 100` (recording its pid in `file`), then spins forever. */
const spawnThenSpin = (file: string): never => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeFileSync } = require('node:fs') as typeof import('node:fs');
  writeFileSync(file, String(spawn('sleep', ['100'], { stdio: 'ignore' }).pid));
  for (;;) { /* spin */ }
};

describe('worker-server: executors run in process groups of their own (real processes)', function () {
  this.timeout(60_000);
  const opened = closeAfterEach();
  const dir = tempDirEach('sg-groups-');

  async function connect(server: WorkerProcess): Promise<ScatterGather> {
    const c = await spawnScatterGather([server.url], { heartbeatMs: 200, retries: 0 });
    opened.add(c);
    await c.ready();
    return c;
  }

  /** Starts a task that leaves a `sleep` behind; resolves with the sleep's pid once it runs. */
  async function startSleeper(c: ScatterGather, options: { timeoutMs?: number } = {}): Promise<{ h: SetHandle; sleeper: number }> {
    const file = join(dir.path, `sleeper-${Math.random()}`);
    const h = c.addJob([[[file]]], { fn: spawnThenSpin, ...options });
    await waitUntil(() => existsSync(file) && readFileSync(file, 'utf8') !== '', 10_000, 'the task to start its sleep');
    const sleeper = Number(readFileSync(file, 'utf8'));
    assert.ok(isAlive(sleeper));
    return { h, sleeper };
  }

  for (const how of ['timeout', 'cancel', 'refresh', 'SIGTERM'] as const) {
    it(`${how} ends what the task started too`, async () => {
      const server = await startWorker(1);
      const c = await connect(server);
      const { h, sleeper } = await startSleeper(c, how === 'timeout' ? { timeoutMs: 1500 } : {});
      if (how === 'cancel') await c.cancel(h);
      if (how === 'refresh') await c.command('refresh');
      if (how === 'SIGTERM') assert.equal(await server.stop(), 0);
      if (how === 'timeout') {
        const [late] = await c.waitForResult(h, { timeoutMs: 10_000 });
        assert.ok(late instanceof RemoteError && late.remoteName === 'TimeoutError');
      }
      await waitUntil(() => !isAlive(sleeper), 3000, `the sleep (pid ${sleeper}) to be ended by ${how}`);
    });
  }

  it('an executor spinning in a task ends when its server is killed outright (its watchdog thread)', async () => {
    const server = await startWorker(1);
    const c = await connect(server);
    const [executor] = childrenOf(server.child.pid as number);
    // Up a second, the executor starts its watchdog before any task it is given.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    c.addJob([[[]]], { fn: (): never => { for (;;) { /* spin */ } } });
    await waitUntil(async () => (await c.status()).executors.some((e) => e.busy), 10_000, 'the task to start');
    server.child.kill('SIGKILL');
    try {
      await waitUntil(() => !isAlive(executor as number), 3000, `the spinning executor (pid ${executor}) to end`);
    } finally {
      if (isAlive(executor as number)) process.kill(executor as number, 'SIGKILL');
    }
  });

  it('refresh cancels a pending restart: never more executors than --procs', async () => {
    const server = await startWorker(1);
    const c = await connect(server);
    // Three executors that die right after starting: the next restart waits (backoff).
    const crashes = await c.waitForResult(c.addJob([[[]], [[]], [[]]], { fn: () => process.exit(1) }), { timeoutMs: 20_000 });
    assert.ok(crashes.every((r) => r instanceof RemoteError && r.remoteName === 'ExecutorCrashed'));
    assert.equal(childrenOf(server.child.pid as number).length, 0, 'a restart is pending');
    const refreshed = c.command('refresh');
    let most = 0;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      most = Math.max(most, childrenOf(server.child.pid as number).length);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await refreshed;
    assert.equal(most, 1, 'one executor at most, for --procs 1');
    assert.equal(childrenOf(server.child.pid as number).length, 1);
    assert.deepEqual(await c.waitForResult(c.addJob([[[1]]], { fn: 'echo' }), { timeoutMs: 10_000 }), [1]);
  });
});
