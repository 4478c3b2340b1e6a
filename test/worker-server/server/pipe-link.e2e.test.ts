import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScatterGatherError, spawnScatterGather } from '@scattergather/kernel-ext';
import { closeAfterEach, tempDirEach } from '../../support/per-test';
import { run, SG_WORKER, startWorker } from '../../support/processes';

describe('worker-server: a controller linked over FIFOs (--pipe-link), beside the ROUTER (real processes)', function () {
  this.timeout(60_000);
  const opened = closeAfterEach();
  const dir = tempDirEach('sg-pipe-test-');

  it('serves a controller over the FIFOs it made (mode 0600) and one over tcp at once, and removes them when it stops', async () => {
    const link = join(dir.path, 'link');
    mkdirSync(link, { mode: 0o700 });
    // Keyed: the pipe link needs no CURVE (only this user can open its FIFOs); the tcp client proves the key as ever.
    const keyFile = join(dir.path, 'cluster.key');
    await run([SG_WORKER, 'keygen', keyFile]);
    const server = await startWorker(2, ['--key-file', keyFile, '--pipe-link', link]);
    for (const fifo of ['to-server', 'to-controller']) {
      const stat = statSync(join(link, fifo));
      assert.ok(stat.isFIFO(), `${fifo} is a FIFO`);
      assert.equal(stat.mode & 0o777, 0o600, `${fifo} is mode 600`);
    }
    const piped = opened.add(await spawnScatterGather([{ url: server.url, pipe: link }], { keyFile, heartbeatMs: 200 }));
    const overTcp = opened.add(await spawnScatterGather([server.url], { keyFile, heartbeatMs: 200 }));
    await Promise.all([piped.ready({ timeoutMs: 10_000 }), overTcp.ready({ timeoutMs: 10_000 })]);
    const set = Array.from({ length: 500 }, (_, i) => [[i]] as [number[]]);
    const [a, b] = await Promise.all([piped, overTcp].map((c) => c.waitForResult(c.addJob(set, { fn: 'echo' }), { timeoutMs: 20_000 })));
    assert.deepEqual(a, set.map(([[i]]) => i));
    assert.deepEqual(b, set.map(([[i]]) => i));
    await piped.close();
    await overTcp.close();
    assert.equal(await server.stop(), 0);
    assert.equal(existsSync(link), false, 'its FIFOs and then the emptied directory are gone');
  });

  it('a client given a pipe link that is not there hears why from ready(), not that its key was refused', async () => {
    const server = await startWorker(1, ['--no-key']);
    const c = opened.add(await spawnScatterGather([{ url: server.url, pipe: join(dir.path, 'nowhere') }], { noKey: true }));
    await assert.rejects(c.ready({ timeoutMs: 10_000 }), (e: unknown) => {
      assert.ok(e instanceof ScatterGatherError, String(e));
      assert.equal(e.code, 'ERR_SERVER_UNUSABLE', e.message);
      assert.match(e.message, /the pipe link in .*nowhere cannot be used .*was the server started with --pipe-link/);
      assert.doesNotMatch(e.message, /key/);
      return true;
    });
  });

  it('refuses a directory others can enter, or one that is not there, before serving anything', async () => {
    const open = join(dir.path, 'open');
    mkdirSync(open, { mode: 0o755 });
    const refused = await run([SG_WORKER, '--no-key', '--bind', 'tcp://127.0.0.1:0', '--procs', '1', '--pipe-link', open]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--pipe-link .*open: .* has mode 755, not 700/);
    assert.equal(existsSync(join(open, 'to-server')), false, 'no FIFO made there');
    const missing = await run([SG_WORKER, '--no-key', '--bind', 'tcp://127.0.0.1:0', '--procs', '1', '--pipe-link', join(dir.path, 'nowhere')]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /does not exist/);
  });
});
