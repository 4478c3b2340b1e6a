import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { localCluster, ScatterGatherError, spawnScatterGather } from '@scattergather/kernel-ext';
import { childrenOf, run, SG_WORKER, startWorker, waitUntil } from '../support/processes';
import { closeAfterEach, tempDirEach } from '../support/per-test';
import { parentOf } from '../support/proc-info';

describe('worker-server cluster keys (real processes)', function () {
  this.timeout(60_000);
  closeAfterEach();
  const dir = tempDirEach('sg-keys-');

  it('sg-worker keygen writes a 0600 key file and never overwrites one', async () => {
    const file = join(dir.path, 'cluster.key');
    const made = await run([SG_WORKER, 'keygen', file]);
    assert.equal(made.code, 0);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; secretKey: string };
    assert.equal(key.publicKey.length, 40);
    assert.equal(key.secretKey.length, 40);
    const again = await run([SG_WORKER, 'keygen', file]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /exists already/);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), key, 'the first key is untouched');
  });

  it('refuses a key file other users can read', async () => {
    const file = join(dir.path, 'cluster.key');
    await run([SG_WORKER, 'keygen', file]);
    chmodSync(file, 0o644);
    const started = await run([SG_WORKER, '--key-file', file, '--bind', 'tcp://127.0.0.1:0', '--procs', '1']);
    assert.notEqual(started.code, 0);
    assert.match(started.stderr, /chmod 600/);
    await assert.rejects(spawnScatterGather(['tcp://127.0.0.1:5555'], { keyFile: file }), /chmod 600/);
  });

  it('admits only clients holding the key: a wrong key, the default key or none is refused at once, and no task code runs', async () => {
    const right = join(dir.path, 'right.key');
    const wrong = join(dir.path, 'wrong.key');
    await run([SG_WORKER, 'keygen', right]);
    await run([SG_WORKER, 'keygen', wrong]);
    const server = await startWorker(1, ['--key-file', right]);
    const marker = join(dir.path, 'ran');
    const touch = (path: string): void => { (require('node:fs') as typeof import('node:fs')).writeFileSync(path, 'task code ran'); };

    // Another key file, the user's own default key, and no key at all.
    for (const options of [{ keyFile: wrong }, {}, { noKey: true }]) {
      const c = await spawnScatterGather([server.url], { ...options, readyTimeoutMs: 10_000 });
      try {
        const started = Date.now();
        await assert.rejects(c.ready(), (e: unknown) => e instanceof ScatterGatherError && e.code === 'ERR_KEY_REFUSED' && /--key-file/.test(e.message));
        assert.ok(Date.now() - started < 5000, 'refused well within the timeout');
        c.addJob([[[marker]]], { fn: touch });
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(existsSync(marker), false, 'no task code ran');
      } finally {
        await c.close();
      }
    }

    const good = await spawnScatterGather([server.url], { keyFile: right });
    try {
      await good.ready();
      await good.waitForResult(good.addJob([[[marker]]], { fn: touch }), { timeoutMs: 10_000 });
      assert.equal(existsSync(marker), true, 'the key holder\'s task ran');
    } finally {
      await good.close();
    }
  });

  it('localCluster makes its own key, starts its servers with it, and removes it once all have read it', async () => {
    const c = await localCluster({ servers: 1, procs: 1 });
    try {
      await c.ready();
      const { executors } = await c.status();
      const serverPid = parentOf(executors[0]?.pid as number);
      const cmdline = readFileSync(`/proc/${serverPid}/cmdline`, 'utf8').split('\0');
      const keyFile = cmdline[cmdline.indexOf('--key-file') + 1] as string;
      assert.ok(cmdline.includes('--key-file'));
      assert.match(keyFile, /\/sg-key-[^/]+\/cluster\.key$/);
      assert.ok(childrenOf(serverPid).length === 1);
      await waitUntil(() => !existsSync(keyFile), 2000, 'the key file to be removed once every process read it');
      assert.deepEqual(await c.waitForResult(c.addJob([[[1]]], { fn: 'echo' }), { timeoutMs: 5000 }), [1], 'the cluster works on');
    } finally {
      await c.close();
    }
  });
});
