import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Ref, RemoteError, registerCopyable, spawnScatterGather, type Histogram, type ScatterGather } from '@scattergather/kernel-ext';
import { killAll, startWorker, waitUntil, type WorkerProcess } from '../support/processes';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const mergeCounts = (...hs: Histogram[]): number[] => {
  const sum = new Array<number>(hs[0]?.counts.length ?? 0).fill(0);
  for (const h of hs) h.counts.forEach((n, i) => { sum[i] = (sum[i] ?? 0) + n; });
  return sum;
};

class KeptVec {
  constructor(public x: number, public y: number) {}
}
registerCopyable('kept.Vec', KeptVec);

/** Kept results, put values and references as arguments over two real sg-worker servers. */
describe('kernel-ext kept values, end to end (2 servers × 2 executors)', function () {
  this.timeout(120_000);
  let servers: WorkerProcess[];
  let logs: string[];
  let c: ScatterGather;

  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sg-kept-test-'));
    logs = [0, 1].map((i) => join(dir, `worker${i}.log`));
    servers = await Promise.all(logs.map((log) => startWorker(2, ['--log-file', log])));
    c = await spawnScatterGather(servers.map((s) => s.url), { heartbeatMs: 200 });
    await c.ready();
  });

  afterEach(async () => {
    await c?.close();
    await killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges 100 kept histograms in one task that takes their 100 references; the histograms never reach the client', async () => {
    const before = c.bytesReceived;
    const h = c.addJob(Array.from({ length: 100 }, () => [[1000, { bins: 2000, distribution: 'uniform' }]]), { fn: 'histogram', keep: true });
    const merged = c.addJob([[h.refs()]], { fn: mergeCounts });
    const [counts] = await c.waitForResult(merged, { timeoutMs: 60_000 });
    const received = c.bytesReceived - before;
    assert.ok(Array.isArray(counts), `the merge ran: ${String(counts)}`);
    assert.equal(counts.length, 2000);
    assert.equal(counts.reduce((a, b) => a + b, 0), 100 * 1000, 'every sample of every histogram is counted once');
    const refs = h.refs();
    assert.ok(refs.every((r) => r instanceof Ref && r.size > 20_000), 'each reference knows its value\'s size');
    const kept = refs.reduce((n, r) => n + r.size, 0);
    assert.ok(received < kept / 20, `the client received ${received} bytes for ${kept} bytes of kept histograms`);
    const histograms = await c.fetch(h);
    assert.deepEqual(counts, mergeCounts(...(histograms as Histogram[])), 'the merge is the sum of the histograms fetched back');
  });

  it('runs a task that takes a reference beside a Copyable: its server swaps the reference without the class, which only executors know', async () => {
    await c.install(`import { registerCopyable } from '@scattergather/kernel-ext';
export class KeptVec { constructor(public x: number, public y: number) {} }
registerCopyable('kept.Vec', KeptVec);
export function scaleVec(k: number, v: KeptVec): KeptVec { return new KeptVec(v.x * k, v.y * k); }`);
    const k = await c.put(3);
    const h = c.addJob([[[k, new KeptVec(1, 2)]], [[k, new KeptVec(-1, 5)]]], { fn: 'scaleVec' });
    const results = await c.waitForResult(h, { timeoutMs: 30_000 });
    assert.ok(results.every((v) => v instanceof KeptVec), `Copyables came back: ${String(results)}`);
    assert.deepEqual(results.map((v) => [(v as KeptVec).x, (v as KeptVec).y]), [[3, 6], [-3, 15]]);
    assert.ok(servers.every((s) => s.child.exitCode === null && s.child.signalCode === null), 'both worker servers still run');
  });

  it('a task that takes the result of a kept task that threw fails with a RefError that names the error', async () => {
    const a = c.addJob([[[1]]], { fn: (x: number): number => { throw new RangeError(`no ${x}`); }, keep: true });
    const b = c.addJob([[a.refs()]], { fn: (x: number) => x });
    const [result] = await c.waitForResult(b, { timeoutMs: 30_000 });
    assert.ok(result instanceof RemoteError && result.remoteName === 'RefError', `a RefError, got ${String(result)}`);
    assert.match(result.message, /the task that makes it failed: RangeError: no 1/);
  });

  it('finds a reference in kwargs that are a class instance, or an object of another realm, as the servers and executors do', async () => {
    class Opts {
      constructor(public scale: unknown) {}
    }
    const k = await c.put(3);
    const foreign = runInNewContext('({})') as { scale?: unknown };
    foreign.scale = k;
    const h = c.addJob([[[2], new Opts(k)], [[5], foreign]] as never, { fn: (x: number, o: { scale: number }) => x * o.scale });
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 30_000 }), [6, 15]);
  });

  it('a kept set\'s handle, still held, does not hold its results once the set is forgotten', async () => {
    const h = c.addJob(Array.from({ length: 3 }, (_, i) => [[i]]), { fn: (i: number) => ({ i }), keep: true });
    const weak = new WeakRef((await c.waitForResult(h, { timeoutMs: 30_000 }))[0] as object);
    c.forget(h);
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(weak.deref(), undefined, 'the forgotten set\'s results were freed');
    assert.deepEqual(h.refs().map((r) => r.id), [0, 1, 2].map((i) => `s${h.id}.${i}`), 'its references can still be named');
  });

  it('a handle kept after its client closed does not keep that client\'s results', async () => {
    let other: ScatterGather | undefined = await spawnScatterGather(servers.map((s) => s.url));
    const h = other.addJob([[[1]]], { fn: (i: number) => ({ i }), keep: true });
    const weak = new WeakRef((await other.waitForResult(h, { timeoutMs: 30_000 }))[0] as object);
    await other.close();
    other = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    assert.equal(weak.deref(), undefined, 'the closed client\'s results were freed');
    assert.equal(h.refs().length, 1, 'the handle still names its reference');
  });

  it('queues a chain of three sets at once; each waits for the references it takes', async () => {
    const a = c.addJob(Array.from({ length: 12 }, (_, i) => [[i]]), { fn: (i: number) => i, keep: true });
    const b = c.addJob(a.refs().map((r) => [[r]]), { fn: (x: number) => x * 2, keep: true });
    const d = c.addJob(b.refs().map((r) => [[r, { plus: 1 }]]), { fn: (x: number, o: { plus: number }) => x + o.plus });
    assert.deepEqual(await c.waitForResult(d, { timeoutMs: 30_000 }), Array.from({ length: 12 }, (_, i) => i * 2 + 1));
    assert.deepEqual(await c.fetch(a.refs()[5] as Ref<number>), 5);
  });

  it('puts a 64 MiB typed array once; 200 tasks read it, and it moves at most once to each other server', async () => {
    const big = new Float64Array(8 * 1024 * 1024).map((_, i) => i % 1000);
    const sent = await c.put(big);
    assert.equal(sent.size > 64 * 1024 * 1024, true, `size ${sent.size}`);
    const h = c.addJob(Array.from({ length: 200 }, (_, i) => [[sent, i]]), { fn: (a: Float64Array, i: number) => a.length + (a[i * 7] ?? -1) });
    const results = await c.waitForResult(h, { timeoutMs: 100_000 });
    assert.deepEqual(results, Array.from({ length: 200 }, (_, i) => 8 * 1024 * 1024 + ((i * 7) % 1000)));
    const moves = logs.map((log) => readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('fetched an input from another worker server')).length);
    assert.ok(moves.every((n) => n <= 1) && moves.reduce((a, b) => a + b, 0) <= 1, `peer fetches per server: ${moves.join(', ')}`);
  });

  it('makes kept results again when the server holding them is killed mid-chain, and the chain is still right', async () => {
    const a = c.addJob(Array.from({ length: 8 }, (_, i) => [[i]]), { fn: (i: number) => i * 10, keep: true });
    await c.waitForResult(a, { timeoutMs: 20_000 });
    const b = c.addJob(a.refs().map((r) => [[r]]), { fn: async (x: number) => { await new Promise((resolve) => setTimeout(resolve, 300)); return x + 1; } });
    servers[0]?.child.kill('SIGKILL');
    assert.deepEqual(await c.waitForResult(b, { timeoutMs: 30_000 }), Array.from({ length: 8 }, (_, i) => i * 10 + 1));
  });

  it('a put whose server is lost before it answers goes to the other server', async () => {
    const frozen = servers[0] as WorkerProcess;
    process.kill(frozen.child.pid as number, 'SIGSTOP');
    try {
      // Both servers hold nothing yet: the first, frozen but not yet taken for lost, is asked first.
      const value = await c.put(new Float64Array(1000));
      const held = (await c.status()).refs.find((r) => r.id === value.id);
      assert.deepEqual(held?.servers, [servers[1]?.url], 'held by the server that answered');
      assert.ok((held?.size ?? 0) >= 8000, `its real size (${String(held?.size)})`);
      const [length] = await c.waitForResult(c.addJob([[[value]]], { fn: (a: Float64Array) => a.length }), { timeoutMs: 20_000 });
      assert.equal(length, 1000, 'a task gets the value');
    } finally {
      process.kill(frozen.child.pid as number, 'SIGCONT');
    }
  });

  it('a put value lost with its server gives its dependants a RemoteError naming it; release frees kept values', async () => {
    const kept = c.addJob([[[1]], [[2]]], { fn: 'echo', keep: true });
    assert.deepEqual(await c.fetch(kept), [1, 2]);
    await c.release(kept);
    await assert.rejects(c.fetch(kept.refs()[0] as Ref), /not known/);

    const value = await c.put({ hello: 'world' });
    const holder = (await c.status()).refs.find((r) => r.id === value.id)?.servers[0];
    const server = servers.find((s) => s.url === holder);
    assert.ok(server !== undefined, `status names the server holding ${value.id}: ${String(holder)}`);
    server.child.kill('SIGKILL');
    await waitUntil(async () => (await c.status()).servers.some((s) => !s.alive), 10_000, 'the killed server to be taken for lost');
    const [result] = await c.waitForResult(c.addJob([[[value]]], { fn: 'echo' }), { timeoutMs: 20_000 });
    assert.ok(result instanceof RemoteError, String(result));
    assert.equal(result.remoteName, 'RefError');
    assert.match(result.message, new RegExp(`${value.id} was lost with worker server`));
  });
});
