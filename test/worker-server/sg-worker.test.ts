import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childrenOf, isAlive, killAll, run, SG_WORKER, startWorker, stopProcess, waitUntil } from '../support/processes';

describe('worker-server/sg-worker (real processes)', function () {
  this.timeout(30_000);
  afterEach(killAll);

  it('prints exactly one ready line and runs one executor per --procs', async () => {
    const worker = await startWorker(3);
    assert.match(worker.readyLine, /^sg-worker listening on tcp:\/\/127\.0\.0\.1:\d+ with 3 executors$/);
    assert.equal(childrenOf(worker.child.pid as number).length, 3);
    let more = '';
    worker.child.stdout?.on('data', (chunk: Buffer) => { more += chunk.toString(); });
    assert.equal(await worker.stop(), 0, 'SIGTERM exits 0');
    assert.equal(more, '', 'nothing else on stdout');
  });

  it('stops its executors on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const worker = await startWorker(2);
      const executors = childrenOf(worker.child.pid as number);
      assert.equal(await stopProcess(worker.child, signal), 0);
      await waitUntil(() => executors.every((pid) => !isAlive(pid)), 3000, `executors to exit after ${signal}`);
    }
  });

  it('leaves no orphan executor when killed with SIGKILL', async () => {
    const worker = await startWorker(2);
    const executors = childrenOf(worker.child.pid as number);
    assert.equal(executors.length, 2);
    worker.child.kill('SIGKILL');
    await waitUntil(() => executors.every((pid) => !isAlive(pid)), 3000, 'orphaned executors to die');
  });

  it('forks a new executor when one dies', async () => {
    const worker = await startWorker(2);
    const [victim, survivor] = childrenOf(worker.child.pid as number) as [number, number];
    process.kill(victim, 'SIGKILL');
    await waitUntil(() => {
      const now = childrenOf(worker.child.pid as number);
      return now.length === 2 && !now.includes(victim) && now.includes(survivor);
    }, 5000, 'a replacement executor');
  });

  it('explains bad flags and refuses a non-loopback address without a key', async () => {
    const help = await run([SG_WORKER, '--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--bind', '--procs', '--log-file']) assert.ok(help.stdout.includes(flag), `--help lists ${flag}`);
    const badProcs = await run([SG_WORKER, '--procs', 'many']);
    assert.notEqual(badProcs.code, 0);
    assert.match(badProcs.stderr, /--procs.*whole number/);
    const unknown = await run([SG_WORKER, '--bogus']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
    // A malformed address is refused as the flags are read: before anything is made, the user's default key included.
    const config = mkdtempSync(join(tmpdir(), 'sg-worker-flags-'));
    try {
      const malformed = await run([SG_WORKER, '--bind', '127.0.0.1:5555'], 20_000, { env: { ...process.env, XDG_CONFIG_HOME: config } });
      assert.notEqual(malformed.code, 0);
      assert.match(malformed.stderr, /--bind takes tcp:\/\/HOST:PORT .*not '127\.0\.0\.1:5555'/);
      // ZeroMQ would take 99999 modulo 65536 and listen on 34463.
      const pastPorts = await run([SG_WORKER, '--bind', 'tcp://127.0.0.1:99999'], 20_000, { env: { ...process.env, XDG_CONFIG_HOME: config } });
      assert.notEqual(pastPorts.code, 0);
      assert.match(pastPorts.stderr, /--bind takes tcp:\/\/HOST:PORT .*not 'tcp:\/\/127\.0\.0\.1:99999'/);
      const logDir = await run([SG_WORKER, '--no-key', '--procs', '1', '--log-file', config], 20_000, { env: { ...process.env, XDG_CONFIG_HOME: config } });
      assert.notEqual(logDir.code, 0);
      assert.match(logDir.stderr, /sg-worker: cannot write the log file .* \(EISDIR/);
      assert.doesNotMatch(logDir.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(readdirSync(config), [], 'no key was made');
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
    const advertised = await run([SG_WORKER, '--advertise', 'tcp://node7:5555']);
    assert.notEqual(advertised.code, 0);
    assert.match(advertised.stderr, /--advertise <host>.*expected one host name or address .*not 'tcp:\/\/node7:5555'/);
    for (const host of ['node7:5555', 'two words', 'fd00::7']) {
      const refused = await run([SG_WORKER, '--advertise', host]);
      assert.match(refused.stderr, /--advertise <host>.*expected one host name or address/, host);
    }
    const drainAlone = await run([SG_WORKER, '--no-key', '--procs', '1', '--drain-seconds', '5']);
    assert.notEqual(drainAlone.code, 0);
    assert.match(drainAlone.stderr, /--drain-seconds counts back from --walltime/);
    const exposed = await run([SG_WORKER, '--no-key', '--bind', 'tcp://0.0.0.0:0', '--procs', '1']);
    assert.equal(exposed.code, 1);
    assert.match(exposed.stderr, /refusing to listen on 0\.0\.0\.0 without a cluster key/);
    assert.equal(exposed.stdout, '');
  });

  it('says so when its port is taken, or its --bind names a host instead of an address', async () => {
    const first = await startWorker(1);
    const second = await run([SG_WORKER, '--bind', first.url, '--procs', '1']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /cannot listen on .*another sg-worker/);
    const named = await run([SG_WORKER, '--bind', 'tcp://nosuchhost.invalid:0', '--procs', '1']);
    assert.equal(named.code, 1);
    assert.match(named.stderr, /cannot listen on tcp:\/\/nosuchhost\.invalid:0: .*not a host name; give the name other machines use with --advertise/);
  });
});
