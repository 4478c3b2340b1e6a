import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnScatterGather } from '@scattergather/kernel-ext';
import { defaultKeyPath, formatClusterKey, readKeyFile, writeKeyFile } from '@scattergather/protocol';
import { run, SG_WORKER, startWorker, waitUntil } from '../support/processes';
import { closeAfterEach, tempDirEach } from '../support/per-test';

const NOBODY = 65534;

describe('worker-server keys by default, --no-key, --key-stdin and --advertise (real processes)', function () {
  this.timeout(60_000);
  closeAfterEach();
  const dir = tempDirEach('sg-worker-keys-');

  it('without key flags, sg-worker and the client share the user\'s own key (made 0600) and run tasks', async () => {
    const server = await startWorker(1);
    assert.equal(statSync(defaultKeyPath()).mode & 0o777, 0o600);
    const c = await spawnScatterGather([server.url]);
    try {
      await c.ready();
      assert.deepEqual(await c.waitForResult(c.addJob([[[7]]], { fn: 'echo' }), { timeoutMs: 10_000 }), [7]);
    } finally {
      await c.close();
    }
  });

  it('sg-worker keygen without FILE makes the user\'s own key, once', async () => {
    const env = { ...process.env, XDG_CONFIG_HOME: dir.path };
    const made = await run([SG_WORKER, 'keygen'], 20_000, { env });
    assert.equal(made.code, 0, made.stderr);
    assert.equal(statSync(join(dir.path, 'scattergather', 'cluster.key')).mode & 0o777, 0o600);
    const again = await run([SG_WORKER, 'keygen'], 20_000, { env });
    assert.match(again.stderr, /exists already/);
  });

  it('refuses a client run by another account on the same machine, and none of its code runs', async function () {
    assert.equal(process.getuid?.(), 0, 'this test runs a client as nobody, which needs root');
    const server = await startWorker(1);
    const config = join(dir.path, 'nobody-config');
    mkdirSync(config, { mode: 0o700 });
    chownSync(config, NOBODY, NOBODY);
    chmodSync(dir.path, 0o755);
    const marker = join(dir.path, 'written-by-a-task');
    const env = { ...process.env, XDG_CONFIG_HOME: config, HOME: config };
    const result = await run([join(__dirname, '..', 'support', 'other-account-client.js'), server.url, marker], 30_000, { uid: NOBODY, gid: NOBODY, env });
    assert.equal(result.code, 0, result.stderr);
    const outcome = JSON.parse(result.stdout) as { ready: boolean; code?: string; message?: string };
    assert.equal(outcome.ready, false);
    assert.equal(outcome.code, 'ERR_KEY_REFUSED', outcome.message);
    assert.equal(existsSync(marker), false, 'no task code ran for the other account');
    const theirs = JSON.parse(readFileSync(join(config, 'scattergather', 'cluster.key'), 'utf8')) as { publicKey: string };
    assert.notEqual(theirs.publicKey, readKeyFile(defaultKeyPath()).publicKey, 'it made a key of its own');
  });

  it('--no-key: warns, binds loopback only, and serves only a client that also says noKey', async () => {
    const refused = await run([SG_WORKER, '--no-key', '--bind', 'tcp://0.0.0.0:0', '--procs', '1']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /refusing to listen on 0\.0\.0\.0 without a cluster key/);
    const server = await startWorker(1, ['--no-key']);
    let stderr = '';
    server.child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const c = await spawnScatterGather([server.url], { noKey: true });
    try {
      await c.ready();
      assert.deepEqual(await c.waitForResult(c.addJob([[[1]]], { fn: 'echo' }), { timeoutMs: 10_000 }), [1]);
    } finally {
      await c.close();
    }
    const keyed = await spawnScatterGather([server.url], { readyTimeoutMs: 3000 });
    try {
      await assert.rejects(keyed.ready(), /refused|no answer/);
    } finally {
      await keyed.close();
    }
    await waitUntil(() => /refused a peer: its handshake failed \(\w+: another cluster key, none, or not a controller\)/.test(stderr), 5000, 'the server to log the keyed client it refused');
    const both = await run([SG_WORKER, '--no-key', '--key-file', 'x', '--procs', '1']);
    assert.match(both.stderr, /cannot be used with/);
    const lines = stderr.split('\n').filter((line) => line !== '');
    const levels = lines.filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { level: number }).level);
    assert.ok(levels.every((level) => level <= 40), 'warnings at most, no error logged');
    assert.ok(lines.filter((line) => !line.startsWith('{')).every((line) => !/error/i.test(line)), `no error in its plain lines: ${stderr}`);
  });

  it('--key-stdin takes the key from the first line of stdin, never from argv or the environment', async () => {
    const file = join(dir.path, 'cluster.key');
    const key = writeKeyFile(file);
    const server = await startWorker(1, ['--key-stdin', '--exit-with-stdin'], `${formatClusterKey(key)}\n`);
    const pid = server.child.pid as number;
    for (const where of ['cmdline', 'environ']) {
      assert.ok(!readFileSync(`/proc/${pid}/${where}`, 'utf8').includes(key.secretKey), `the secret key is not in /proc/${pid}/${where}`);
    }
    const c = await spawnScatterGather([server.url], { keyFile: file });
    try {
      await c.ready();
      assert.deepEqual(await c.waitForResult(c.addJob([[['ok']]], { fn: 'echo' }), { timeoutMs: 10_000 }), ['ok']);
    } finally {
      await c.close();
    }
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.stdin?.end();
    assert.equal(await exited, 0, 'stdin closing ends it (--exit-with-stdin)');

    const garbage = await startWorker(1, ['--key-stdin'], 'not a key\n').then(() => 'started', (error: Error) => error.message);
    assert.match(garbage, /first line of standard input \(--key-stdin\) is not a scattergather key/);
  });

  it('--advertise names the host controllers are told to use; a wildcard bind without it names this machine', async () => {
    const advertised = await startWorker(1, ['--advertise', 'localhost']);
    assert.match(advertised.readyLine, /^sg-worker listening on tcp:\/\/localhost:\d+ with 1 executors$/);
    const c = await spawnScatterGather([advertised.url]);
    try {
      assert.deepEqual(await c.ready(), { servers: 1, executors: 1 });
    } finally {
      await c.close();
    }
    const wildcard = await startWorker(1, ['--bind', 'tcp://0.0.0.0:0']);
    assert.equal(wildcard.readyLine, `sg-worker listening on tcp://${hostname()}:${/:(\d+) with/.exec(wildcard.readyLine)?.[1] ?? '?'} with 1 executors`);
  });
});
