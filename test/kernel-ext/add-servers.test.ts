import assert from 'node:assert/strict';
import { spawnScatterGather } from '@scattergather/kernel-ext';
import { killAll, startWorker } from '../support/processes';

describe('kernel-ext addServers: worker servers joining a running client', function () {
  this.timeout(60_000);
  afterEach(killAll);

  it('connects to a server added at run time, counts it in ready() and status(), and runs tasks on it', async () => {
    const [a, b] = await Promise.all([startWorker(1), startWorker(2)]);
    const c = await spawnScatterGather([a!.url]);
    try {
      assert.deepEqual(await c.ready(), { servers: 1, executors: 1 });
      await c.addServers([b!.url]);
      assert.deepEqual(await c.ready(), { servers: 2, executors: 3 });
      const status = await c.status();
      assert.deepEqual(status.servers.map((s) => [s.url, s.alive]), [[a!.url, true], [b!.url, true]]);
      const pids = await c.waitForResult(c.addJob(Array.from({ length: 30 }, () => [[]]), { fn: async () => { await new Promise((r) => setTimeout(r, 20)); return process.pid; } }));
      const onB = status.executors.filter((e) => e.server === b!.url).map((e) => e.pid);
      assert.ok(pids.some((pid) => onB.includes(pid as number)), 'some task ran on the added server');
    } finally {
      await c.close();
    }
  });

  it('ready() counts a server added before the first ready arrived, not the out-of-date ready', async () => {
    const [a, b] = await Promise.all([startWorker(1), startWorker(2)]);
    const c = await spawnScatterGather([a!.url]);
    try {
      await c.addServers([b!.url]);
      assert.deepEqual(await c.ready(), { servers: 2, executors: 3 });
    } finally {
      await c.close();
    }
  });

  it('refuses a server it has already, and a malformed address, and keeps working', async () => {
    const a = await startWorker(1);
    const c = await spawnScatterGather([a.url]);
    try {
      await c.ready();
      await assert.rejects(c.addServers([a.url]), (e: Error & { code?: string }) => e.code === 'ERR_SERVER_TWICE' && /listed twice/.test(e.message));
      await assert.rejects(c.addServers(['127.0.0.1:5555']), /write it as tcp:\/\/HOST:PORT/);
      assert.deepEqual(await c.ready(), { servers: 1, executors: 1 });
      assert.deepEqual(await c.waitForResult(c.addJob([[[7]]], { fn: 'echo' })), [7]);
    } finally {
      await c.close();
    }
  });
});
