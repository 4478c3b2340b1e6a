import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteError, spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { childrenOf, startWorker, waitUntil, type WorkerProcess } from '../support/processes';
import { closeAfterEach } from '../support/per-test';

/** Throws or returns something hostile, by kind; 'fine' returns normally. */
const hostile = (kind: string): unknown => {
  const trap = (): never => { throw new Error('trap'); };
  switch (kind) {
    case 'null-prototype': throw Object.create(null);
    case 'then-getter': return { get then(): never { throw new Error('then, read'); } };
    case 'proxy': throw new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    case 'toString': throw { toString: trap, valueOf: trap };
    case 'symbol': throw Symbol('thrown');
    case 'return-symbol': return Symbol('returned');
    case 'getter': return { get x(): never { throw new Error('x, read'); } };
    case 'error-getters': { const e = new Error('m'); Object.defineProperty(e, 'message', { get: trap }); Object.defineProperty(e, 'name', { get: trap }); throw e; }
    case 'stack-getter': { const e = new RangeError('still readable'); Object.defineProperty(e, 'stack', { get: trap }); throw e; }
    default: return kind;
  }
};
const KINDS = ['null-prototype', 'then-getter', 'proxy', 'toString', 'symbol', 'return-symbol', 'getter', 'error-getters', 'stack-getter'];

describe('worker-server: executors cannot be wedged (real processes)', function () {
  this.timeout(60_000);
  const opened = closeAfterEach();

  async function connect(server: WorkerProcess): Promise<ScatterGather> {
    const c = await spawnScatterGather([server.url], { heartbeatMs: 200, retries: 0 });
    opened.add(c);
    await c.ready();
    return c;
  }

  it('whatever a task throws or returns becomes a RemoteError, and the same executor keeps serving', async () => {
    const server = await startWorker(1);
    const c = await connect(server);
    const [executor] = childrenOf(server.child.pid as number);
    const results = await c.waitForResult(c.addJob([...KINDS, 'fine'].map((kind) => [[kind]]), { fn: hostile }), { timeoutMs: 10_000 });
    KINDS.forEach((kind, i) => assert.ok(results[i] instanceof RemoteError, `${kind}: a RemoteError (got ${String(results[i])})`));
    const stackless = results[KINDS.indexOf('stack-getter')] as RemoteError;
    assert.deepEqual([stackless.remoteName, stackless.message], ['RangeError', 'still readable'], 'an Error whose stack cannot be read keeps its name and message');
    assert.equal(results[KINDS.length], 'fine');
    assert.deepEqual(childrenOf(server.child.pid as number), [executor], 'the executor was not replaced');
  });

  it('a result larger than its server takes (here 1 MiB), or than a record can say (4 GiB: one 1 MiB array 4,097 times, under a limit of 8 GiB), becomes a RemoteError; the executor serves on', async () => {
    const big = (kind: string): unknown => (kind === 'over-limit' ? new Uint8Array(2 ** 21) : kind === 'over-u32' ? Array(4097).fill(new Uint8Array(2 ** 20)) : kind);
    for (const [limit, kind, said] of [[2 ** 20, 'over-limit', '1048572'], [2 ** 33, 'over-u32', '4294967295']] as const) {
      const server = await startWorker(1, ['--max-message-bytes', String(limit)]);
      const c = await connect(server);
      const [executor] = childrenOf(server.child.pid as number);
      const [refused, fine] = await c.waitForResult(c.addJob([[[kind]], [['fine']]], { fn: big }), { timeoutMs: 20_000 });
      assert.ok(refused instanceof RemoteError && refused.message.includes(`more than its worker server takes (${said}; sg-worker --max-message-bytes)`), `${kind}: a RemoteError saying so, got ${String(refused)}`);
      assert.equal(fine, 'fine');
      assert.deepEqual(childrenOf(server.child.pid as number), [executor], `${kind}: the executor was not replaced`);
    }
  });

  it('a client that closes while its tasks spin forever does not keep the executors: they are replaced and the next client is served', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'sg-bye-log-'));
    const logFile = join(logDir, 'worker.log');
    try {
      const server = await startWorker(2, ['--log-file', logFile]);
      const first = await connect(server);
      const before = childrenOf(server.child.pid as number);
      first.addJob([[[]], [[]], [[]]], { fn: () => { for (;;) { /* spins */ } } });
      await waitUntil(async () => (await first.status()).executors.filter((e) => e.busy).length === 2, 10_000, 'both executors running a spinning task');
      await first.close();
      const second = await connect(server);
      assert.deepEqual(await second.waitForResult(second.addJob([[[1]], [[2]]], { fn: 'echo' }), { timeoutMs: 15_000 }), [1, 2]);
      const after = childrenOf(server.child.pid as number);
      assert.equal(after.length, 2);
      assert.ok(after.every((pid) => !before.includes(pid)), `both executors were replaced: ${before.join(',')} → ${after.join(',')}`);
      // The closed client said goodbye once; nothing it sent after made the server take it for a new session, then a silent one.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.doesNotMatch(readFileSync(logFile, 'utf8'), /went silent/);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('an executor whose pipes cannot be made when it restarts (mkfifo failing) is tried again until they can; the server never goes down', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'sg-fake-mkfifo-'));
    try {
      const flag = join(bin, 'fail');
      const real = execFileSync('sh', ['-c', 'command -v mkfifo'], { encoding: 'utf8' }).trim();
      writeFileSync(join(bin, 'mkfifo'), `#!/bin/sh\nif [ -e '${flag}' ]; then echo refused >&2; exit 1; fi\nexec '${real}' "$@"\n`, { mode: 0o755 });
      const saved = process.env['PATH'];
      process.env['PATH'] = `${bin}:${saved ?? ''}`;
      const server = await startWorker(1).finally(() => { process.env['PATH'] = saved; });
      const c = await connect(server);
      const [executor] = childrenOf(server.child.pid as number);
      writeFileSync(flag, '');
      process.kill(executor as number, 'SIGKILL');
      // Restarts are tried after 1 s, then 2 s: over 2.5 s, at least two fail.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(server.child.exitCode, null, 'the server still runs');
      // A refresh meanwhile tries the pending restart at once; failing, it is planned again, not retried in a loop.
      const refreshed = c.command('refresh');
      // Past 3 heartbeats (200 ms each): a server stuck in a loop would be lost by now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal((await c.status()).servers[0]?.alive, true, 'the server still answers during the refresh');
      rmSync(flag);
      await refreshed;
      assert.deepEqual(await c.waitForResult(c.addJob([[[1]], [[2]]], { fn: 'echo' }), { timeoutMs: 15_000 }), [1, 2]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('an install whose module never finishes loading fails within its time limit; its executors are replaced and the cluster serves', async () => {
    const server = await startWorker(2);
    const c = await connect(server);
    const before = childrenOf(server.child.pid as number);
    const started = Date.now();
    await assert.rejects(c.install('export const x = 1; while (true) {}', { timeoutMs: 1000 }), /did not finish loading within 1000 ms/);
    assert.ok(Date.now() - started < 5000, 'within its limit, not the default 30 s');
    await waitUntil(() => {
      const now = childrenOf(server.child.pid as number);
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    }, 10_000, 'both stuck executors to be replaced');
    assert.deepEqual(await c.waitForResult(c.addJob([[[1]], [[2]]], { fn: 'echo' }), { timeoutMs: 10_000 }), [1, 2]);
    assert.deepEqual(await c.install('export const y = (n: number) => n + 1;'), ['y'], 'a good module installs afterwards');
  });

  it('sg-worker --install-timeout-ms sets the default limit', async () => {
    const server = await startWorker(1, ['--install-timeout-ms', '800']);
    const c = await connect(server);
    await assert.rejects(c.install('export const x = 1; while (true) {}'), /did not finish loading within 800 ms/);
    assert.deepEqual(await c.waitForResult(c.addJob([[[3]]], { fn: 'echo' }), { timeoutMs: 10_000 }), [3]);
  });
});
