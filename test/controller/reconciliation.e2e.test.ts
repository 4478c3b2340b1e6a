import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeValue, encodeValue, Ref, type Message, type ResultItem } from '@scattergather/protocol';
import { spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { startWorker } from '../support/processes';
import { closeAfterEach } from '../support/per-test';
import { ScriptedServer } from '../support/scripted-server';

const HEARTBEAT_MS = 200;

/** Deliveries per task index of set `set`, from what poll() reports (each arrival once). */
function deliveries(c: ScatterGather, set: number): number[] {
  const counts: number[] = [];
  for (const r of c.poll().results) if (r.set === set) counts[r.index] = (counts[r.index] ?? 0) + 1;
  return counts;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const echoSet = (n: number): Array<[number[]]> => range(n).map((i) => [[i]]);

describe('controller reconciliation and unasked-for answers (a scripted worker server, real controller and client)', function () {
  this.timeout(30_000);
  const opened = closeAfterEach();

  async function scripted(executors = 2): Promise<ScriptedServer> {
    const server = await new ScriptedServer().start(executors);
    opened.add(server);
    return server;
  }

  async function connect(urls: string[], options: { retries?: number } = {}): Promise<ScatterGather> {
    // The scripted server speaks without CURVE, so this cluster runs keyless (loopback only).
    const c = await spawnScatterGather(urls, { heartbeatMs: HEARTBEAT_MS, noKey: true, ...options });
    opened.add(c);
    await c.ready({ timeoutMs: 10_000 });
    return c;
  }

  it('runs again what a server does not hold (dropped on the way), and only that', async () => {
    const s = await scripted();
    let runs = 0;
    s.onRun = (run) => {
      runs += 1;
      // The first run is lost on the way: not held, never answered. The second is held for a while, then answered.
      if (runs === 1) {
        for (const [id] of run.tasks) s.held?.delete(id);
        return;
      }
      setTimeout(() => void s.answer(run.tasks), 4 * HEARTBEAT_MS);
    };
    const c = await connect([s.url]);
    const h = c.addJob(echoSet(4), { fn: 'echo' });
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 10_000 }), range(4));
    assert.deepEqual(deliveries(c, h.id), [1, 1, 1, 1], 'exactly once');
    assert.equal(s.tasks.length, 8, 'the 4 dropped tasks were sent again once; the held ones never twice');
  });

  it('runs elsewhere what a stopping server did not list in `returned` (its last results died with it), and gives it nothing more', async () => {
    const s = await scripted(1);
    const r = await startWorker(2, ['--no-key']);
    s.onRun = (run) => {
      // SIGTERM: hand back the first task only, then fall silent for good.
      s.answering = false;
      void s.send({ t: 'returned', ids: run.tasks.slice(0, 1).map(([id]) => id) });
    };
    const c = await connect([s.url, r.url]);
    const h = c.addJob(echoSet(12), { fn: 'echo' });
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 10_000 }), range(12), 'none lost');
    assert.equal(s.count('run'), 1, 'nothing more was sent to the stopping server');
    assert.deepEqual(deliveries(c, h.id), range(12).map(() => 1));
  });

  it('a kept set with one result the server did not keep: fetch gives each task its own value, in order', async () => {
    const s = await scripted(1);
    const kept = new Map<string, number>();
    s.onRun = (run) => {
      const refOf = new Map(run.keep ?? []);
      // The first task's result comes back bare (a server that did not keep it); the others as references.
      void s.send({ t: 'done', results: run.tasks.map(([id, , args], i): ResultItem => {
        const value = (decodeValue(args) as number[][])[0]?.[0] as number;
        const ref = refOf.get(id) as string;
        kept.set(ref, value);
        return [id, true, i === 0 ? encodeValue(value) : encodeValue(new Ref(ref, 9)), 0.1, 4242, ''];
      }) });
    };
    s.onOther = (message) => {
      if (message.t === 'fetch') void s.send({ t: 'fetched', req: message.req, values: message.refs.map((ref) => encodeValue(kept.get(ref as string))) });
    };
    const c = await connect([s.url]);
    const h = c.addJob([[[10]], [[20]], [[30]]], { fn: 'echo', keep: true });
    assert.deepEqual(await c.fetch(h), [10, 20, 30]);
  });

  it('a late `lost` from a server already declared lost does not run the task twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-late-lost-'));
    try {
      const s = await scripted(1);
      const r = await startWorker(1, ['--no-key']);
      let wireId = -1;
      s.onRun = (run) => {
        wireId = run.tasks[0]?.[0] ?? -1;
        s.answering = false;
      };
      const c = await connect([s.url, r.url]);
      const h = c.addJob([[[dir]]], {
        fn: (d: string) => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const fs = require('node:fs') as typeof import('node:fs');
          fs.appendFileSync(`${d}/runs`, 'ran\n');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
          return 'done';
        },
      });
      await s.until(() => wireId !== -1, 5000, 'the task');
      // Declared lost after 3 silent heartbeats; the task then runs on r. Now the late report arrives.
      const started = Date.now();
      while (!(readFileSync(join(dir, 'runs'), { encoding: 'utf8', flag: 'a+' }).includes('ran')) && Date.now() - started < 5000) await new Promise((res) => setTimeout(res, 20));
      await s.send({ t: 'lost', ids: [wireId], reason: 'ExecutorCrashed', pid: 1 });
      assert.deepEqual(await c.waitForResult(h, { timeoutMs: 10_000 }), ['done']);
      await new Promise((res) => setTimeout(res, 2000));
      assert.equal(readFileSync(join(dir, 'runs'), 'utf8'), 'ran\n', 'it ran once, on the server that was not lost');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a `done` item that is not a result costs no other task its delivery', async () => {
    const s = await scripted();
    s.onRun = (run) => {
      const [first, second] = s.results(run.tasks);
      s.held?.clear();
      void s.send({ t: 'done', results: [first, 42, null, 'x', [1, 2], second] as unknown as Message<'done'>['results'] });
    };
    const c = await connect([s.url]);
    const h = c.addJob(echoSet(2), { fn: 'echo' });
    const started = Date.now();
    const results = await c.waitForResult(h, { timeoutMs: 5000 });
    assert.equal(results.length, 2);
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual(deliveries(c, h.id), [1, 1]);
  });

  for (const ms of [NaN, -5, Infinity]) {
    it(`a run time of ${ms} does not stop the server being used`, async () => {
      const s = await scripted();
      s.onRun = (run) => void s.answer(run.tasks, ms);
      const c = await connect([s.url]);
      const h = c.addJob(echoSet(20), { fn: 'echo' });
      assert.deepEqual(await c.waitForResult(h, { timeoutMs: 5000 }), range(20));
    });
  }

  it('ignores results from a server a task was not sent to', async () => {
    const [a, b] = [await scripted(1), await scripted(1)];
    const runsOf = new Map<ScriptedServer, Message<'run'>[]>([[a, []], [b, []]]);
    for (const s of [a, b]) s.onRun = (run) => runsOf.get(s)?.push(run);
    const c = await connect([a.url, b.url]);
    const h = c.addJob(echoSet(4), { fn: 'echo' });
    await a.until(() => a.tasks.length === 2 && b.tasks.length === 2, 5000, 'both servers\' shares');
    // b answers a's tasks with forged values (and a's ids beyond), then both answer their own.
    const forged = a.tasks.map(([id]) => [id, true, encodeValue('forged'), 0.1, 1, ''] as Message<'done'>['results'][number]);
    await b.send({ t: 'done', results: forged });
    await new Promise((res) => setTimeout(res, 100));
    for (const s of [a, b]) for (const run of runsOf.get(s) ?? []) await s.answer(run.tasks);
    assert.deepEqual(await c.waitForResult(h, { timeoutMs: 5000 }), range(4));
    assert.deepEqual(deliveries(c, h.id), [1, 1, 1, 1]);
  });
});
