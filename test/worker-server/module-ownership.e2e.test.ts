import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { startWorker, waitUntil, type WorkerProcess } from '../support/processes';
import { closeAfterEach, tempDirEach } from '../support/per-test';
import { RawController } from '../support/raw-controller';

type Globals = Record<string, unknown>;
const loads = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

describe('worker-server: modules belong to the controller that installed them (real processes)', function () {
  this.timeout(60_000);
  const opened = closeAfterEach();
  const dir = tempDirEach('sg-modules-');

  async function connect(server: WorkerProcess, heartbeatMs = 200): Promise<ScatterGather> {
    const c = await spawnScatterGather([server.url], { heartbeatMs, noKey: true });
    opened.add(c);
    await c.ready();
    return c;
  }

  const run = async (c: ScatterGather, fn: string | ((...args: never[]) => unknown), args: unknown[] = []): Promise<unknown> =>
    (await c.waitForResult(c.addJob([[args]], { fn: fn as string }), { timeoutMs: 10_000 }))[0];

  it('never shadow another controller\'s functions or the built-ins; installing a name again replaces that module', async () => {
    const server = await startWorker(1, ['--no-key']);
    const [a, b] = [await connect(server), await connect(server)] as [ScatterGather, ScatterGather];
    await a.install('export function f() { return "A"; }\nexport function echo() { return "shadowed"; }\nexport const k = "A";', { name: 'm' });
    await b.install('export function f() { return "B"; }\nexport const k = "B";', { name: 'm' });
    assert.equal(await run(a, 'f'), 'A');
    assert.equal(await run(b, 'f'), 'B');
    assert.equal(await run(a, 'echo', [5]), 5, 'the built-in echo');
    assert.equal(await run(a, () => (globalThis as unknown as Globals)['k']), 'A', 'a function sent by value sees its own controller\'s exports');
    assert.equal(await run(b, () => (globalThis as unknown as Globals)['k']), 'B');
    await a.install('export function g() { return "g"; }', { name: 'm' });
    assert.equal(await run(a, 'g'), 'g');
    assert.equal(await run(a, () => typeof (globalThis as unknown as Globals)['f']), 'undefined', 'the replaced module\'s exports are gone');
    assert.equal(await run(b, 'f'), 'B', 'the other controller\'s module is untouched');
  });

  it('are dropped when their controller says goodbye, or goes silent', async () => {
    const server = await startWorker(1, ['--no-key']);
    const stays = await connect(server);
    // A long heartbeat: this one is forgotten for its goodbye, not for silence.
    const leaves = await connect(server, 10_000);
    const byeLoads = join(dir.path, 'bye');
    const silentLoads = join(dir.path, 'silent');
    const marker = (file: string): string => `require('node:fs').appendFileSync(${JSON.stringify(file)}, 'loaded\\n'); exports.x = 1;`;
    await leaves.install(`${marker(byeLoads)}`.replace('exports.x = 1;', 'export const x = 1;'), { name: 'leaving' });
    const silent = new RawController(server.url);
    opened.add(silent);
    await silent.send({ t: 'ping', req: 1, heartbeatMs: 100 });
    await silent.send({ t: 'install', req: 2, name: 'silent', code: marker(silentLoads) });
    await silent.receiveUntil((got) => got.some((m) => m.t === 'installed'), 5000, 'the silent controller\'s install');
    await stays.install('export const y = 2;', { name: 'staying' });
    assert.equal(loads(byeLoads), 1);
    assert.equal(loads(silentLoads), 1);

    await leaves.close();
    silent.close();
    // Three missed heartbeats of 100 ms, and the server's watch interval.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await stays.command('refresh');
    await waitUntil(async () => (await run(stays, () => (globalThis as unknown as Globals)['y'])) === 2, 5000, 'the staying module on the new executor');
    assert.equal(loads(byeLoads), 1, 'the module of a controller that said goodbye is not loaded again');
    assert.equal(loads(silentLoads), 1, 'nor that of one gone silent');
  });

  it('come back when a controller that was forgotten for silence speaks again', async () => {
    const server = await startWorker(1, ['--no-key']);
    const c = await connect(server);
    await c.install('export function f() { return "still here"; }', { name: 'm' });
    const { controller } = await c.status();
    // Stopped past 3 of its 200 ms heartbeats: the server forgets it and drops its module.
    process.kill(controller.pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    process.kill(controller.pid, 'SIGCONT');
    assert.equal(await run(c, 'f'), 'still here', 'the controller saw a new session and installed its module again');
  });

  it('a task in flight while its controller was silent runs again without costing a retry: the silence was not its fault', async () => {
    const server = await startWorker(1, ['--no-key']);
    const c = await spawnScatterGather([server.url], { heartbeatMs: 200, noKey: true, retries: 0 });
    opened.add(c);
    await c.ready();
    const h = c.addJob([[[1500]]], { fn: 'sleep' });
    await waitUntil(async () => (await c.status()).running === 1, 5000, 'the sleep running');
    const { controller } = await c.status();
    process.kill(controller.pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    process.kill(controller.pid, 'SIGCONT');
    const [result] = await c.waitForResult(h, { timeoutMs: 15_000 });
    assert.ok(!(result instanceof Error), `the sleep ran to the end on the second try, not failed with retries: 0 (${String(result)})`);
  });

  it('a kept task that ends while its controller is forgotten is made again, never sent as a bare value', async () => {
    const server = await startWorker(1, ['--no-key']);
    const c = await spawnScatterGather([server.url], { heartbeatMs: 200, noKey: true, retries: 0 });
    opened.add(c);
    await c.ready();
    const h = c.addJob([[[1000]]], { fn: 'sleep', keep: true });
    await waitUntil(async () => (await c.status()).running === 1, 5000, 'the sleep running');
    const { controller } = await c.status();
    // Forgotten ~0.7 s in (its kept values dropped), while the sleep still runs; the sleep ends before it speaks again.
    process.kill(controller.pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 1400));
    process.kill(controller.pid, 'SIGCONT');
    assert.deepEqual(await c.fetch(h), [1000], 'kept where it was made the second time');
    assert.equal((await c.status()).failed, 0);
  });
});
