import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { Dealer, Router } from 'zeromq';
import { DEFAULT_MAX_MESSAGE_BYTES, decodeValue, encodeMessage, encodeValue, PayloadList, readPipeFrames, runMessageLoop, writePipeFrames, type ClientResultItem, type ErrorState, type Message, type ResultItem, type TaskItem } from '@scattergather/protocol';
import { spawnScatterGather } from '@scattergather/kernel-ext';
import { receiveUntil, startBareController, startBareExecutor } from '../support/bare-peers';
import { bombFlood, boundsBombs } from '../support/hostile-frames';
import { argvOf, rssOf } from '../support/proc-info';
import { childrenOf, isAlive, killAll, startWorker, waitUntil } from '../support/processes';

const MiB = 1024 * 1024;
/** Each socket gets every bomb this many times, bare and inside a well-formed message (about 3 MB a round). */
const ROUNDS = 10;
const BOMBS = boundsBombs().length;
const MAX_GROWTH = 200 * MiB;
/** Task ids of results a hostile peer makes up: far from any a real task has. */
const LIES = 10_000_000;

function assertFlat(what: string, pid: number, before: number): void {
  assert.ok(isAlive(pid), `${what} (pid ${pid}) is still running`);
  const grew = rssOf(pid) - before;
  assert.ok(grew < MAX_GROWTH, `${what} grew by ${(grew / MiB).toFixed(0)} MiB`);
}

/** Sends each message of every round to `send`, one at a time (each send is bounded by the socket's sendTimeout). */
async function flood(rounds: (round: number) => Buffer[][], send: (frames: Buffer[]) => Promise<void>): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    for (const frames of rounds(round)) await send(frames);
  }
}

/** A task refused by its executor's bounded decoding comes back failed, saying why. */
function assertRefusedArgs(value: unknown): void {
  assert.match((value as ErrorState).message, /malformed value: (a length of|the value nests deeper|the value ends early)/);
}

describe('fuzzing every socket with decoder bombs: nested headers, huge declared lengths, depth bombs, truncations', function () {
  this.timeout(120_000);
  afterEach(killAll);

  it('sg-worker: its ROUTER and its executors\' ROUTER take them bare and as task arguments, in bounded memory, and lose no job', async () => {
    const worker = await startWorker(1, ['--no-key']);
    const server = worker.child.pid as number;
    const executor = childrenOf(server)[0] as number;
    const before = { server: rssOf(server), executor: rssOf(executor) };
    const controller = new Dealer({ linger: 0, sendTimeout: 5000 });
    controller.connect(worker.url);
    // Posing as an executor: the pool's endpoint is in the executor's argv.
    const intruder = new Dealer({ linger: 0, sendTimeout: 5000, routingId: 'intruder' });
    intruder.connect(argvOf(executor).find((arg) => arg.startsWith('ipc://')) as string);
    try {
      const failed: ResultItem[] = [];
      const refused = receiveUntil(controller, (message) => {
        if (message.t === 'done') failed.push(...message.results);
        return failed.length === ROUNDS * BOMBS;
      }, 60_000);
      await flood((round) => bombFlood('run', round * BOMBS), (frames) => controller.send(frames));
      await flood((round) => bombFlood('done', LIES + round * BOMBS), (frames) => intruder.send(frames));
      await refused;
      for (const [, ok, value] of failed) {
        assert.equal(ok, false);
        assertRefusedArgs(decodeValue(value));
      }
      assertFlat('sg-worker', server, before.server);
      assertFlat('its executor', executor, before.executor);
      assert.deepEqual(childrenOf(server), [executor], 'the executor was never replaced');
    } finally {
      controller.close();
      intruder.close();
    }
    const c = await spawnScatterGather([worker.url], { noKey: true });
    try {
      await c.ready({ timeoutMs: 10_000 });
      const set = Array.from({ length: 20 }, (_, i) => [[i]] as [number[]]);
      assert.deepEqual(await c.waitForResult(c.addJob(set, { fn: 'echo' }), { timeoutMs: 10_000 }), set.map(([[i]]) => i));
    } finally {
      await c.close();
    }
  });

  it('an executor: its task pipe takes them bare and as task arguments, in bounded memory, and runs the next tasks; names like constructor are no functions', async () => {
    const executor = await startBareExecutor();
    const pid = executor.child.pid as number;
    const before = rssOf(pid);
    try {
      const done = new Map<number, ResultItem>();
      const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
      const finished = executor.receiveResults((item) => {
        done.set(item[0], item);
        return done.size === ROUNDS * BOMBS + 1 + names.length;
      }, 60_000);
      await flood((round) => bombFlood('run', round * BOMBS), (frames) => executor.send(frames));
      const fns = [{ name: 'echo' }, ...names.map((name) => ({ name }))];
      const tasks = fns.map((_, fn): TaskItem => [100_000 + fn, fn, encodeValue([[42]]), 0]);
      await executor.send(encodeMessage({ t: 'run', fns, tasks }));
      await finished;
      for (let id = 0; id < ROUNDS * BOMBS; id++) {
        const [, ok, value] = done.get(id) as ResultItem;
        assert.equal(ok, false);
        assertRefusedArgs(decodeValue(value));
      }
      assert.deepEqual(decodeValue((done.get(100_000) as ResultItem)[2]), 42, 'the task after the flood ran');
      names.forEach((name, i) => {
        const [, ok, value] = done.get(100_001 + i) as ResultItem;
        assert.equal(ok, false, `a task of function '${name}' fails`);
        assert.match((decodeValue(value) as ErrorState).message, new RegExp(`no function '${name}'`));
      });
      assertFlat('the executor', pid, before);
    } finally {
      await executor.stop();
    }
  });

  it('sg-controller: its server links and its client link take them, in bounded memory; its sets complete; a command named constructor is unknown', async () => {
    const good = await startWorker(1, ['--no-key']);
    const liar = new Router({ linger: 0, sendTimeout: 5000 });
    await liar.bind('tcp://127.0.0.1:0');
    let floods = 0;
    const lie = (async () => {
      for await (const [from] of liar) {
        if (from === undefined || floods === ROUNDS) continue;
        // A valid pong without executors (so it is given no tasks), then a round of bombs.
        await liar.send([from, ...encodeMessage({ t: 'pong', req: 0, executors: [], instance: 'liar' })]);
        for (const frames of bombFlood('done', LIES + floods * BOMBS)) await liar.send([from, ...frames]);
        floods += 1;
      }
    })().catch(() => undefined);
    const controller = await startBareController([good.url, liar.lastEndpoint as string], ['--heartbeat-ms', '100']);
    const pid = controller.child.pid as number;
    try {
      await receiveUntil(controller.results, (message) => message.t === 'ready', 20_000);
      const before = rssOf(pid);
      const results = new Map<number, ClientResultItem>();
      const collect = (message: Message): void => {
        if (message.t === 'results') for (const item of message.items) results.set(item[0], item);
      };
      const bombSets = receiveUntil(controller.results, (message) => { collect(message); return results.size === ROUNDS * BOMBS; }, 60_000);
      await flood((round) => bombFlood('submit', round * BOMBS), (frames) => controller.jobs.send(frames));
      await bombSets;
      for (const [, , ok, value] of results.values()) {
        assert.equal(ok, false);
        assertRefusedArgs(decodeValue(value));
      }
      await waitUntil(() => floods === ROUNDS, 30_000, 'the lying server to send every round');

      const set = 1_000_000;
      await controller.jobs.send(encodeMessage({ t: 'submit', set, fn: { name: 'echo' }, tasks: PayloadList.of(Array.from({ length: 20 }, (_, i) => encodeValue([[i]]))) }));
      const values: unknown[] = [];
      await receiveUntil(controller.results, (message) => {
        if (message.t === 'results') for (const [s, index, ok, value] of message.items) if (s === set && ok) values[index] = decodeValue(value);
        return values.filter((v) => v !== undefined).length === 20;
      }, 20_000);
      assert.deepEqual(values, Array.from({ length: 20 }, (_, i) => i));

      for (const [req, name] of ['constructor', 'toString', '__proto__'].entries()) {
        await controller.jobs.send(encodeMessage({ t: 'command', req, name }));
        const reply = await receiveUntil(controller.results, (message) => message.t === 'reply' && message.req === req, 10_000) as Message<'reply'>;
        assert.equal(reply.ok, false);
        assert.match(reply.error?.message ?? '', new RegExp(`unknown command '${name}'`));
      }
      assertFlat('sg-controller', pid, before);
    } finally {
      await controller.stop();
      liar.close();
      await lie;
    }
  });

  it('the client: no endpoint an intruder could reach; what comes down its pipe goes through bounded decoding, and its sets complete', async () => {
    const worker = await startWorker(1, ['--no-key']);
    const c = await spawnScatterGather([worker.url], { noKey: true });
    try {
      await c.ready({ timeoutMs: 10_000 });
      const argv = argvOf((await c.status()).controller.pid);
      assert.equal(argv[argv.indexOf('--results') + 1], 'fd://4', 'results come on a pipe the client passed its controller, not a socket anyone may connect to');
      // The client's link decodes exactly so (pipe records, then the message loop): fed the bombs in the pipe's own framing.
      const pipe = new PassThrough();
      let heard = 0;
      const loop = runMessageLoop(readPipeFrames(pipe, DEFAULT_MAX_MESSAGE_BYTES), { results: () => { heard += 1; } }, { log: { warn: () => undefined, debug: () => undefined } });
      const before = rssOf(process.pid);
      await flood((round) => bombFlood('results', 1_000_000 + round * BOMBS), async (frames) => {
        writePipeFrames(pipe as unknown as Socket, frames);
        await new Promise((resolve) => setImmediate(resolve));
      });
      const heardBefore = heard;
      writePipeFrames(pipe as unknown as Socket, encodeMessage({ t: 'results', items: [] }));
      await waitUntil(() => heard > heardBefore, 5000, 'a well-formed message after the bombs');
      pipe.end();
      await loop;
      const set = Array.from({ length: 20 }, (_, i) => [[i]] as [number[]]);
      assert.deepEqual(await c.waitForResult(c.addJob(set, { fn: 'echo' }), { timeoutMs: 10_000 }), set.map(([[i]]) => i));
      assertFlat('the client', process.pid, before);
    } finally {
      await c.close();
    }
  });
});
