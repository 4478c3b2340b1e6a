import assert from 'node:assert/strict';
import { RemoteError, ScatterGatherError, registerCopyable, spawnScatterGather, type ScatterGather, type TaskResult } from '@scattergather/kernel-ext';
import { killAll, startWorker, type WorkerProcess } from '../support/processes';

class Vec {
  constructor(public x: number, public y: number) {}
  length(): number { return Math.hypot(this.x, this.y); }
}
registerCopyable('test.Vec', Vec);

const VEC_MODULE = `
import { registerCopyable } from '@scattergather/kernel-ext';
export class Vec { constructor(public x: number, public y: number) {} length(): number { return Math.hypot(this.x, this.y); } }
registerCopyable('test.Vec', Vec);
export function double(v: Vec): Vec { return new Vec(v.x * 2, v.y * 2); }
export function square(x: number): number { return x * x; }
export const answer: number = 42;
`;

const sleepPid = async (ms: number): Promise<number> => { await new Promise((resolve) => setTimeout(resolve, ms)); return process.pid; };

/** The seed's 4 × 8 cluster, scaled to this machine: four real sg-worker servers with two executors each. */
describe('kernel-ext client API, end to end (4 servers × 2 executors)', function () {
  this.timeout(60_000);
  let servers: WorkerProcess[];
  let c: ScatterGather;

  before(async () => {
    servers = await Promise.all([1, 2, 3, 4].map(() => startWorker(2)));
    c = await spawnScatterGather(servers.map((s) => s.url));
  });

  after(async () => {
    await c?.close();
    await killAll();
  });

  it('ready() resolves once every server answered, with servers and executors', async () => {
    assert.deepEqual(await c.ready(), { servers: 4, executors: 8 });
  });

  it('addJob and poll return at once while a set runs; results carry their set and index', async () => {
    const started = Date.now();
    const h = c.addJob([[[300]], [[300]]], { fn: 'sleep' });
    const first = c.poll();
    assert.ok(Date.now() - started < 100, 'addJob + poll did not block');
    assert.equal(h.size, 2);
    assert.equal(first.pending >= 2, true);
    await c.waitForResult(h, { timeoutMs: 10_000 });
    const later = c.poll();
    const mine = later.results.filter((r) => r.set === h.id);
    assert.deepEqual(mine.map((r) => r.index).sort(), [0, 1]);
    assert.ok(mine.every((r) => r.ok && r.value === 300));
    assert.deepEqual(c.poll().results, [], 'each result is polled once');
  });

  it('a handle of another client never names this client\'s set of the same id', async () => {
    const [first, second] = await Promise.all([spawnScatterGather(servers.map((s) => s.url)), spawnScatterGather(servers.map((s) => s.url))]);
    try {
      const mine = second.addJob([[['second']]], { fn: 'echo' });
      const theirs = first.addJob([[['first']]], { fn: 'echo' });
      assert.equal(theirs.id, mine.id, 'both clients number their sets from 1');
      assert.deepEqual(await second.waitForResult(mine), ['second']);
      for (const use of [() => second.waitForResult(theirs), async () => second.poll(theirs), async () => second.forget(theirs)]) {
        await assert.rejects(use(), (e: ScatterGatherError) => e.code === 'ERR_UNKNOWN_SET' && /set 1 of another client/.test(e.message));
      }
      assert.deepEqual(await first.waitForResult(theirs), ['first']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('forget(h) drops a finished set and its unpolled results; poll(h) takes only its own; a running set cannot be forgotten', async () => {
    c.poll();
    const a = c.addJob([[[1]], [[2]]], { fn: 'echo' });
    const b = c.addJob([[[3]]], { fn: 'echo' });
    const slow = c.addJob([[[500]]], { fn: 'sleep' });
    assert.throws(() => c.forget(slow), (e: ScatterGatherError) => e.code === 'ERR_SET_PENDING' && /still running/.test(e.message));
    await Promise.all([c.waitForResult(a), c.waitForResult(b), c.waitForResult(slow)]);
    c.forget(a);
    await assert.rejects(c.waitForResult(a), (e: ScatterGatherError) => e.code === 'ERR_UNKNOWN_SET');
    assert.deepEqual(c.poll(b).results.map((r) => [r.set, r.index, r.value]), [[b.id, 0, 3]]);
    assert.deepEqual(c.poll().results.map((r) => [r.set, r.value]), [[slow.id, 500]], 'the forgotten set left nothing to poll');
    assert.deepEqual(await c.waitForResult(b), [3], 'other sets keep their results');
  });

  it('waitForResult returns input order; results(h) yields completion order and ends', async () => {
    const delays = [400, 10, 250, 50];
    const h = c.addJob(delays.map((ms) => [[ms]]), { fn: 'sleep' });
    const order: number[] = [];
    for await (const r of c.results(h)) order.push(r.index);
    assert.deepEqual(order, [1, 3, 2, 0]);
    assert.deepEqual(await c.waitForResult(h), delays);
    const again: TaskResult[] = [];
    for await (const r of c.results(h)) again.push(r);
    assert.equal(again.length, 4, 'results already in come first, then it ends');
  });

  it('results() without a handle streams every result from now on, across sets', async () => {
    const stream = c.results()[Symbol.asyncIterator]();
    const first = stream.next();
    c.addJob([[['a']]], { fn: 'echo' });
    c.addJob([[['b']]], { fn: 'echo' });
    const values = [(await first).value as TaskResult, (await stream.next()).value as TaskResult].map((r) => r.value).sort();
    assert.deepEqual(values, ['a', 'b']);
    await stream.return?.(undefined);
  });

  it('keeps every executor of every server busy', async () => {
    const h = c.addJob(Array.from({ length: 16 }, () => [[150]]), { fn: sleepPid });
    const pids = new Set(await c.waitForResult(h, { timeoutMs: 10_000 }));
    const status = await c.status();
    assert.deepEqual([...pids].sort(), status.executors.map((e) => e.pid).sort());
  });

  it('calls fn(...args) without kwargs and fn(...args, kwargs) with them', async () => {
    const h = c.addJob([[[1, 2]], [[1, 2], { scale: 10 }]], { fn: (a: number, b: number, kw?: { scale: number }) => (a + b) * (kw?.scale ?? 1) });
    assert.deepEqual(await c.waitForResult(h), [3, 30]);
  });

  it('brings back what each task printed, with its result', async () => {
    const h = c.addJob([[[1]], [[2]], [[3]]], { fn: (x: number) => { console.log(`working on ${x}`); if (x === 2) console.error('x is two'); return x; } });
    assert.deepEqual(await c.waitForResult(h), [1, 2, 3]);
    assert.deepEqual(c.output(h), ['working on 1\n', 'working on 2\nx is two\n', 'working on 3\n']);
    const polled = c.poll().results.filter((r) => r.set === h.id).sort((a, b) => a.index - b.index);
    assert.equal(polled[1]?.output, 'working on 2\nx is two\n');
    const quiet = c.addJob([[[1]]], { fn: 'echo' });
    await c.waitForResult(quiet);
    assert.deepEqual(c.output(quiet), ['']);
    assert.equal(c.poll().results.find((r) => r.set === quiet.id)?.output, undefined);
  });

  it('delivers a RemoteError in place and finishes the rest of the set', async () => {
    const h = c.addJob([[[1]], [[-1]], [[2]]], { fn: (x: number) => { if (x < 0) throw new RangeError(`negative: ${x}`); return x; } });
    const [a, error, b] = await c.waitForResult(h);
    assert.equal(a, 1);
    assert.equal(b, 2);
    assert.ok(error instanceof RemoteError);
    assert.ok(error instanceof Error);
    assert.equal(error.remoteName, 'RangeError');
    assert.equal(error.message, 'negative: -1');
    assert.match(error.remoteStack ?? '', /RangeError: negative: -1/);
    assert.match(error.stack ?? '', /^RemoteError \[RangeError\]: negative: -1\n {2}on the executor: RangeError: negative: -1/, 'its stack is the remote one, not the client\'s decoding');
    assert.ok(servers.some((s) => s.url === error.server));
    assert.ok(error.pid > 0);
    assert.equal(error.index, 1);
    assert.equal(c.progress(h).failed, 1);
  });

  it('installs TypeScript on every executor; refresh gives new pids and installed code still works', async () => {
    const names = await c.install(VEC_MODULE);
    assert.deepEqual(names.sort(), ['Vec', 'answer', 'double', 'square']);
    assert.ok(c.functions().includes('square'));
    const before = new Set(await c.waitForResult(c.addJob(Array.from({ length: 16 }, () => [[100]]), { fn: sleepPid })));
    const { pids } = await c.command('refresh');
    assert.equal(pids.length, 8);
    for (const pid of pids) assert.ok(!before.has(pid), `pid ${pid} is new`);
    assert.deepEqual(await c.waitForResult(c.addJob([[[3]], [[4]]], { fn: 'square' })), [9, 16]);
    const [doubled] = await c.waitForResult(c.addJob([[[new Vec(3, 4)]]], { fn: 'double' }));
    assert.ok(doubled instanceof Vec, 'a registered Copyable crosses both ways as itself');
    assert.equal(doubled.length(), 10);
    assert.deepEqual(await c.waitForResult(c.addJob([[[]]], { fn: () => (globalThis as unknown as { answer: number }).answer })), [42]);
  });

  it('turns a result that cannot be sent back into a RemoteError, and a thrown non-Error too', async () => {
    const h = c.addJob([[['fn']], [['throw']], [['undefined']]], { fn: (what: string) => {
      if (what === 'fn') return () => 1;
      if (what === 'throw') throw 'a string'; // eslint-disable-line @typescript-eslint/only-throw-error
      return undefined;
    } });
    const [unsendable, thrown, nothing] = await c.waitForResult(h);
    assert.ok(unsendable instanceof RemoteError && unsendable.remoteName === 'TypeError' && /cannot be sent back/.test(unsendable.message));
    assert.ok(thrown instanceof RemoteError && /a non-Error was thrown: a string/.test(thrown.message));
    assert.equal(nothing, undefined);
    assert.equal(c.progress(h).done, 1);
  });

  it('reports a compile error before sending anything', async () => {
    await assert.rejects(c.install('export function broken( {'), (e: unknown) => e instanceof ScatterGatherError && e.code === 'ERR_COMPILE' && /line 1/.test(e.message));
  });

  it('says which module failed to load, with a code; the version installed before stays (new executors load it too); a fixed one replaces it', async () => {
    assert.deepEqual(await c.install('export const version = () => 1;', { name: 'versioned' }), ['version']);
    await assert.rejects(c.install('throw new Error("at load"); export const version = () => 2;', { name: 'versioned' }), (e: unknown) => {
      assert.ok(e instanceof ScatterGatherError, String(e));
      assert.equal(e.code, 'ERR_INSTALL');
      assert.match(e.message, /module 'versioned' was not installed \(Error: at load\); a module installed before under that name stays/);
      return true;
    });
    assert.deepEqual(await c.waitForResult(c.addJob([[[]]], { fn: 'version' })), [1]);
    await c.command('refresh');
    assert.deepEqual(await c.waitForResult(c.addJob(Array.from({ length: 8 }, () => [[]] as [unknown[]]), { fn: 'version' })), new Array(8).fill(1), 'fresh executors load the version before, not the one that failed');
    assert.deepEqual(await c.install('export const version = () => 3;', { name: 'versioned' }), ['version']);
    assert.deepEqual(await c.waitForResult(c.addJob([[[]]], { fn: 'version' })), [3]);
  });

  it('keeps typed arrays, Maps and BigInts through an executor', async () => {
    const value = { f: new Float64Array([1.5, 2.5]), m: new Map([['k', 1n << 70n]]), big: new Int16Array(50_000).fill(7) };
    const [back] = await c.waitForResult(c.addJob([[[value]]], { fn: 'echo' })) as [typeof value];
    assert.ok(back.f instanceof Float64Array && back.f[1] === 2.5);
    assert.equal(back.m.get('k'), 1n << 70n);
    assert.ok(back.big instanceof Int16Array && back.big.length === 50_000 && back.big[49_999] === 7);
  });

  it('lets a set queued later run beside a long one instead of after it', async () => {
    const long = c.addJob(Array.from({ length: 48 }, () => [[60]]), { fn: 'sleep' });
    const short = c.addJob(Array.from({ length: 4 }, () => [[60]]), { fn: 'sleep' });
    await c.waitForResult(short, { timeoutMs: 10_000 });
    assert.ok(!c.progress(long).complete, 'the short set finished while the long one was still running');
    await c.waitForResult(long, { timeoutMs: 10_000 });
  });

  it('explains unknown functions and malformed tasks at once', () => {
    assert.throws(() => c.addJob([[[1]]], { fn: 'nope' }), (e: unknown) => e instanceof ScatterGatherError && e.code === 'ERR_UNKNOWN_FUNCTION' && /histogram, echo, sleep, pid/.test(e.message));
    assert.throws(() => c.addJob([[1] as unknown as [unknown[]]], { fn: 'echo' }), /task 0 must be \[args\]/);
    assert.throws(() => c.addJob([[[() => 1]]], { fn: 'echo' }), /task 0 cannot be sent/);
  });

  it('refuses options it cannot honour, and what is no reference, with a ScatterGatherError that says what is wanted', async () => {
    const refused = (code: string, pattern: RegExp) => (e: unknown): boolean => e instanceof ScatterGatherError && e.code === code && pattern.test(e.message);
    assert.throws(() => (c.addJob as (set: unknown) => unknown)([[[1]]]), refused('ERR_SET_OPTIONS', /at least \{ fn \}/));
    for (const timeoutMs of ['abc', -1, 0, NaN, Infinity]) {
      assert.throws(() => c.addJob([[[1]]], { fn: 'echo', timeoutMs: timeoutMs as number }), refused('ERR_SET_OPTIONS', /timeoutMs must be a number > 0/), String(timeoutMs));
    }
    for (const retries of [-1, 1.5, '2']) {
      assert.throws(() => c.addJob([[[1]]], { fn: 'echo', retries: retries as number }), refused('ERR_SET_OPTIONS', /retries must be a whole number ≥ 0/), String(retries));
    }
    const plain = c.addJob([[[1]]], { fn: 'echo' });
    for (const what of ['x', 123, null, plain]) {
      await assert.rejects(c.fetch(what as never), refused('ERR_NOT_A_REF', /keep: true/), String(what));
      await assert.rejects(c.release(what as never), refused('ERR_NOT_A_REF', /keep: true/), String(what));
    }
    assert.deepEqual(await c.waitForResult(plain), [1]);
    await assert.rejects(c.put(() => 1), refused('ERR_ENCODE', /Functions and symbols do not cross the wire/));
  });

  it('times out a wait without stopping the set', async () => {
    const h = c.addJob([[[500]]], { fn: 'sleep' });
    await assert.rejects(c.waitForResult(h, { timeoutMs: 50 }), /gave up waiting/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(c.waitForResult(h, { signal: controller.signal }), /stopped waiting/);
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 5000 }), [500]);
  });

  it('a wait with a time limit past what a Node timer holds (24.8 days) waits quietly for the set', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    process.on('warning', onWarning);
    try {
      const h = c.addJob([[[300]]], { fn: 'sleep' });
      assert.deepEqual(await c.waitForResult(h, { timeoutMs: 3_000_000_000 }), [300]);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, [], 'no TimeoutOverflowWarning: the timer did not fire at once, over and over');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('reports status: controller, servers, executors and counts', async () => {
    const status = await c.status();
    assert.ok(status.controller.pid > 0);
    assert.deepEqual(status.servers.map((s) => s.url).sort(), servers.map((s) => s.url).sort());
    assert.ok(status.servers.every((s) => s.alive && s.executors === 2));
    assert.equal(status.executors.length, 8);
    assert.equal(status.queued, 0);
    assert.equal(status.running, 0);
    assert.ok(status.done > 50);
    assert.ok(status.failed >= 1);
  });

  it('die stops the controller and the dashboard; the client then says it is closed', async () => {
    const other = await spawnScatterGather([servers[0]!.url]);
    await other.ready();
    const page = await other.dashboard();
    assert.equal((await fetch(page)).status, 200);
    await other.command('die');
    await assert.rejects(fetch(page), 'nothing serves the page of a cluster that is gone');
    assert.throws(() => other.addJob([[[1]]], { fn: 'echo' }), (e: unknown) => e instanceof ScatterGatherError && e.code === 'ERR_CLOSED');
    await other.close();
  });
});
