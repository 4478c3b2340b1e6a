import assert from 'node:assert/strict';
import { spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { killAll, startWorker, type WorkerProcess } from '../../support/processes';

/** One pool, many notebooks: two clients (each its own controller) share two real sg-worker servers. */
describe('worker-server fair sharing between controllers (2 clients, 2 servers × 2 executors)', function () {
  this.timeout(120_000);
  let servers: WorkerProcess[];
  const clients: ScatterGather[] = [];

  before(async () => {
    servers = await Promise.all([0, 1].map(() => startWorker(2)));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  after(killAll);

  it('finishes a second client\'s 8 × sleep(5 ms) in under a second while the first has 20,000 × sleep(5 ms) queued', async () => {
    const [busy, other] = await Promise.all([0, 1].map(() => spawnScatterGather(servers.map((s) => s.url))));
    clients.push(busy as ScatterGather, other as ScatterGather);
    await Promise.all(clients.map((c) => c.ready()));
    const big = busy!.addJob(Array.from({ length: 20_000 }, () => [[5]] as [number[]]), { fn: 'sleep' });
    // Let the big set fill every server's queue and executors first.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.ok(busy!.progress(big).done > 0 && !busy!.progress(big).complete, 'the big set is running');
    const started = Date.now();
    const results = await other!.waitForResult(other!.addJob(Array.from({ length: 8 }, () => [[5]] as [number[]]), { fn: 'sleep' }), { timeoutMs: 10_000 });
    const took = Date.now() - started;
    console.log(`      measured: 8 × sleep(5 ms) beside 20,000 queued: ${took} ms`);
    assert.deepEqual(results, new Array(8).fill(5));
    assert.ok(took < 1000, `8 × sleep(5) took ${took} ms beside 20,000 queued`);
    assert.equal(busy!.progress(big).complete, false, 'measured while the big set was still running');
    await busy!.cancel(big);
  });

  it('weights controllers: a client of weight 3 gets about three times the executors of one of weight 1', async () => {
    const light = await spawnScatterGather(servers.map((s) => s.url), { weight: 1 });
    const heavy = await spawnScatterGather(servers.map((s) => s.url), { weight: 3 });
    clients.push(light, heavy);
    await Promise.all(clients.map((c) => c.ready()));
    const set = Array.from({ length: 2000 }, () => [[20]] as [number[]]);
    const a = light.addJob(set, { fn: 'sleep' });
    const b = heavy.addJob(set, { fn: 'sleep' });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const ratio = heavy.progress(b).done / Math.max(1, light.progress(a).done);
    await Promise.all([light.cancel(a), heavy.cancel(b)]);
    console.log(`      measured: weight 3 against 1 finished ${ratio.toFixed(2)} times as many tasks in 4 s`);
    assert.ok(ratio > 2 && ratio < 4.5, `weight 3 against 1 finished ${ratio.toFixed(2)} times as many tasks`);
  });
});
