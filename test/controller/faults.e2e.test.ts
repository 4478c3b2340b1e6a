import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteError, spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { childrenOf, isAlive, startWorker, waitUntil, type WorkerProcess } from '../support/processes';
import { closeAfterEach, tempDirEach } from '../support/per-test';

/** A task that crashes its executor the first time it runs (a marker file remembers) and returns its index after. */
const crashOnce = (dir: string, index: number, how: string): number | Promise<never> => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  const marker = `${dir}/${index}`;
  if (fs.existsSync(marker)) return index;
  fs.writeFileSync(marker, '');
  if (how === 'exit') process.exit(7);
  if (how === 'kill') process.kill(process.pid, 'SIGKILL');
  if (how === 'oom') { const hog: number[][] = []; for (;;) hog.push(new Array(1e6).fill(1)); }
  if (how === 'timer') {
    setTimeout(() => { throw new Error('thrown later, from a timer'); }, 10);
    return new Promise<never>(() => undefined);
  }
  return index;
};

function countByIndex(c: ScatterGather, set: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of c.poll().results) if (r.set === set) counts.set(r.index, (counts.get(r.index) ?? 0) + 1);
  return counts;
}

describe('controller fault handling (real processes)', function () {
  this.timeout(60_000);
  const opened = closeAfterEach();
  const dir = tempDirEach('sg-faults-');

  async function connect(servers: WorkerProcess[], options = {}): Promise<ScatterGather> {
    const c = await spawnScatterGather(servers.map((s) => s.url), { heartbeatMs: 200, ...options });
    opened.add(c);
    await c.ready();
    return c;
  }

  for (const how of ['exit', 'kill', 'timer', 'oom']) {
    it(`runs a task again when its executor dies (${how}) and delivers each result exactly once`, async () => {
      const server = await startWorker(2, ['--executor-memory-mb', '64']);
      const c = await connect([server]);
      const h = c.addJob(Array.from({ length: 6 }, (_, i) => [[dir.path, i, i % 2 === 0 ? how : 'none']]), { fn: crashOnce });
      const results = await c.waitForResult(h, { timeoutMs: 30_000 });
      assert.deepEqual(results, [0, 1, 2, 3, 4, 5]);
      const counts = countByIndex(c, h.id);
      assert.deepEqual([...counts.values()], [1, 1, 1, 1, 1, 1], 'one delivery per task');
      await waitUntil(() => childrenOf(server.child.pid as number).length === 2, 5000, 'the executors to be replaced');
    });
  }

  it('gives up past the retries with ExecutorCrashed', async () => {
    const server = await startWorker(2);
    const c = await connect([server], { retries: 1 });
    const h = c.addJob([[[]], [[2]]], { fn: (x?: number) => (x === undefined ? process.exit(1) : x) });
    const [crashed, fine] = await c.waitForResult(h, { timeoutMs: 20_000 });
    assert.equal(fine, 2);
    assert.ok(crashed instanceof RemoteError);
    assert.equal(crashed.remoteName, 'ExecutorCrashed');
    assert.match(crashed.message, /gave up after 2 attempts/);
  });

  it('runs a SIGTERMed server\'s tasks elsewhere, none lost or failed (a real sg-worker; the scripted one in reconciliation.e2e hands back an incomplete list)', async () => {
    const [a, b] = await Promise.all([startWorker(2), startWorker(2)]);
    const c = await connect([a!, b!]);
    const h = c.addJob(Array.from({ length: 400 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 5)); return i; } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(await a!.stop(), 0, 'a clean exit');
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 20_000 }), Array.from({ length: 400 }, (_, i) => i), 'none lost, none failed');
    assert.deepEqual([...countByIndex(c, h.id).values()].filter((n) => n !== 1), [], 'exactly once');
  });

  it('reruns a dead server\'s tasks elsewhere and uses the server again when it comes back', async () => {
    const [a, b] = await Promise.all([startWorker(2), startWorker(2)]);
    const c = await connect([a!, b!]);
    const h = c.addJob(Array.from({ length: 20 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 200)); return i; } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    a!.child.kill('SIGKILL');
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 30_000 }), Array.from({ length: 20 }, (_, i) => i));
    assert.deepEqual([...countByIndex(c, h.id).values()].filter((n) => n !== 1), [], 'exactly once');
    await waitUntil(async () => !(await c.status()).servers.find((s) => s.url === a!.url)?.alive, 5000, 'the dead server to be noticed');

    const revived = await startWorker(2, ['--bind', a!.url]);
    await waitUntil(async () => (await c.status()).servers.every((s) => s.alive), 5000, 'the server to be used again');
    const pids = new Set(await c.waitForResult(c.addJob(Array.from({ length: 12 }, () => [[150]]), { fn: async (ms: number) => { await new Promise((r) => setTimeout(r, ms)); return process.pid; } })));
    for (const pid of childrenOf(revived.child.pid as number)) assert.ok(pids.has(pid), `the revived server's executor ${pid} ran tasks`);
  });

  it('a server taken for lost that answers again gets the modules installed meanwhile before any task, and no other again', async () => {
    const [a, b] = await Promise.all([startWorker(1), startWorker(1)]);
    const c = await connect([a!, b!]);
    // Its top level notes each load, by process: loaded again on the server that came back, it would run twice there.
    const loadsFile = join(dir.path, 'early-loads');
    await c.install(`require('node:fs').appendFileSync(${JSON.stringify(loadsFile)}, process.pid + '\\n'); export const early = 1;`, { name: 'early' });
    const loadsOf = (pid: number): number => readFileSync(loadsFile, 'utf8').split('\n').filter((line) => line === String(pid)).length;
    const [executorOfA] = childrenOf(a!.child.pid as number);
    assert.equal(loadsOf(executorOfA as number), 1);
    process.kill(a!.child.pid as number, 'SIGSTOP');
    try {
      await waitUntil(async () => !(await c.status()).servers.find((s) => s.url === a!.url)?.alive, 5000, 'the frozen server to be taken for lost');
      assert.deepEqual(await c.install('export const tag = (i: number) => [`v1:${i}`, process.pid];', { name: 'meanwhile' }), ['tag']);
    } finally {
      process.kill(a!.child.pid as number, 'SIGCONT');
    }
    await waitUntil(async () => (await c.status()).servers.every((s) => s.alive), 5000, 'the server to answer again');
    const set = Array.from({ length: 40 }, (_, i) => [[i]] as [number[]]);
    const results = await c.waitForResult(c.addJob(set, { fn: 'tag', timeoutMs: 5000 }), { timeoutMs: 20_000 }) as Array<[string, number]>;
    assert.deepEqual(results.map((r) => r[0]), set.map(([[i]]) => `v1:${i}`), 'every task found the module, on either server');
    assert.ok(results.some((r) => r[1] === executorOfA), 'the server that came back ran some of them');
    assert.equal(loadsOf(executorOfA as number), 1, 'the module it already had was not loaded again');
  });

  it('fails a task past its time limit with TimeoutError and replaces its executor', async () => {
    const server = await startWorker(2);
    const c = await connect([server], { timeoutMs: 1500 });
    const before = childrenOf(server.child.pid as number);
    const started = Date.now();
    const h = c.addJob([[[30]], [[]], [[40]]], { fn: (ms?: number) => { if (ms === undefined) for (;;) { /* hang */ } return ms; }, timeoutMs: 300 });
    const [a, hung, b] = await c.waitForResult(h, { timeoutMs: 10_000 });
    assert.ok(Date.now() - started < 1200, 'the set\'s own limit applies, not the client default');
    assert.equal(a, 30);
    assert.equal(b, 40);
    assert.ok(hung instanceof RemoteError);
    assert.equal(hung.remoteName, 'TimeoutError');
    await waitUntil(() => {
      const now = childrenOf(server.child.pid as number);
      return now.length === 2 && now.some((pid) => !before.includes(pid));
    }, 5000, 'a replacement executor');
    const slow = c.addJob([[[4000]]], { fn: 'sleep' });
    const [clientDefault] = await c.waitForResult(slow, { timeoutMs: 10_000 });
    assert.ok(clientDefault instanceof RemoteError && clientDefault.remoteName === 'TimeoutError', 'the client-wide timeoutMs applies');
  });

  it('cancel stops queued and running tasks within a second, each with CancelledError', async () => {
    const server = await startWorker(2);
    const c = await connect([server]);
    const h = c.addJob(Array.from({ length: 10 }, () => [[]]), { fn: () => { for (;;) { /* busy */ } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = childrenOf(server.child.pid as number);
    const started = Date.now();
    await c.cancel(h);
    const results = await c.waitForResult(h, { timeoutMs: 1000 });
    assert.ok(Date.now() - started < 1000);
    assert.ok(results.every((r) => r instanceof RemoteError && r.remoteName === 'CancelledError'));
    await waitUntil(() => busy.every((pid) => !isAlive(pid)), 1000, 'the busy executors to be stopped');
    assert.deepEqual(await c.waitForResult(c.addJob([[[5]]], { fn: 'echo' }), { timeoutMs: 5000 }), [5], 'the cluster goes on');
  });

  it('rejects every pending wait with a clear error when the controller is killed', async () => {
    const server = await startWorker(1);
    const c = await connect([server]);
    const h = c.addJob([[[10_000]]], { fn: 'sleep' });
    const wait = c.waitForResult(h);
    const stream = c.results()[Symbol.asyncIterator]().next();
    const { controller } = await c.status();
    const killedAt = Date.now();
    process.kill(controller.pid, 'SIGKILL');
    await assert.rejects(wait, /the controller \(pid \d+\) exited \(SIGKILL\); unfinished sets will not complete/);
    await assert.rejects(stream, /exited/, 'a stream of every result ends too');
    assert.ok(Date.now() - killedAt < 400, 'within 2 heartbeats');
    assert.throws(() => c.addJob([[[1]]], { fn: 'echo' }), /exited/);
  });

  it('lets a server drop the queued work of a controller that died', async () => {
    const server = await startWorker(1);
    const script = `
      const { spawnScatterGather } = require(${JSON.stringify(require.resolve('@scattergather/kernel-ext'))});
      spawnScatterGather([${JSON.stringify(server.url)}], { heartbeatMs: 100 }).then(async (c) => {
        await c.ready();
        c.addJob(Array.from({ length: 200 }, () => [[50]]), { fn: 'sleep' });
        const { controller } = await c.status();
        console.log(controller.pid);
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const controllerPid = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    process.kill(controllerPid, 'SIGKILL');
    await waitUntil(() => !isAlive(controllerPid), 2000, 'the controller to die');
    // Let the client see its controller go (it removes their private directory), then end it too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    const other = await connect([server]);
    const started = Date.now();
    assert.deepEqual(await other.waitForResult(other.addJob([[[1]]], { fn: 'echo' }), { timeoutMs: 5000 }), [1]);
    assert.ok(Date.now() - started < 2000, 'not stuck behind 200 × 50 ms of a dead controller\'s tasks');
  });
});
