import assert from 'node:assert/strict';
import { spawnScatterGather } from '@scattergather/kernel-ext';
import { killAll, startWorker } from '../support/processes';

describe('worker-server --walltime: hand work back before a hard time limit (real processes)', function () {
  this.timeout(60_000);
  afterEach(killAll);

  it('stops taking tasks --drain-seconds before its walltime, lets the running one finish, hands the queue back and exits 0; nothing fails or is lost', async () => {
    const launched = Date.now();
    const ending = await startWorker(1, ['--walltime', '10', '--drain-seconds', '6']);
    const staying = await startWorker(1);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => ending.child.once('exit', (code) => resolve({ code, at: Date.now() })));
    const c = await spawnScatterGather([ending.url, staying.url], { retries: 0, heartbeatMs: 200 });
    try {
      await c.ready();
      // Long enough to be running when the first server drains, 4 s after it started.
      const set = Array.from({ length: 60 }, () => [[150]] as [number[]]);
      const results = await c.waitForResult(c.addJob(set, { fn: 'sleep' }), { timeoutMs: 30_000 });
      assert.deepEqual(results, set.map(() => 150), 'every task ran once and succeeded, none charged a failure');
      const { code, at } = await exited;
      assert.equal(code, 0);
      assert.ok(at - launched >= 3900 && at - launched < 10_000, `exited once idle after draining (${at - launched} ms after launch), before its walltime`);
      const status = await c.status();
      assert.equal(status.failed, 0);
    } finally {
      await c.close();
    }
  });
});
