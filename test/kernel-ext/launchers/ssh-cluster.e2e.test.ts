import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sshCluster, type ScatterGather, type SshClusterOptions, type SshHost } from '@scattergather/kernel-ext';
import { writeKeyFile } from '@scattergather/protocol';
import { TestNetwork } from '../../support/network-namespaces';
import { childrenOf, isAlive, stopProcess, waitUntil } from '../../support/processes';
import { argvOf, sshStartedWorkers as remoteWorkers, TestSsh } from '../../support/sshd';

const SSH_CLIENT = join(__dirname, '..', '..', 'support', 'ssh-client.js');

/**
 * sshCluster against real OpenSSH servers from Debian, started by the test with keys it makes: one
 * on 127.0.0.1, and (for the two-host run) one inside a network namespace with its own address,
 * reached from a client namespace. Root only (namespaces, sshd), as CI runs.
 */
describe('sshCluster: workers started over ssh', function () {
  this.timeout(120_000);
  let ssh: TestSsh;
  let network: TestNetwork;
  let dir: string;
  const clients: ChildProcess[] = [];
  let client: ScatterGather | undefined;

  before(async function () {
    this.timeout(300_000);
    if (process.getuid?.() !== 0) throw new Error('the ssh tests start sshd and network namespaces and must run as root (CI does)');
    dir = mkdtempSync(join(tmpdir(), 'sg-ssh-test-'));
    ssh = new TestSsh();
    network = new TestNetwork(1);
    const nsHost = network.servers[0] as { ns: string; address: string };
    await ssh.startDaemon('local');
    ssh.addAlias('local-b', ssh.host('local'));
    ssh.addAlias('stranger', { ...ssh.host('local'), identity: ssh.strangerKey });
    await ssh.startDaemon('ns-local', { address: '127.0.0.1', namespace: network.client });
    await ssh.startDaemon('ns-host', { address: nsHost.address, namespace: nsHost.ns });
  });

  afterEach(async () => {
    await client?.close().catch(() => undefined);
    client = undefined;
    await Promise.all(clients.splice(0).map((c) => stopProcess(c, 'SIGKILL')));
  });

  after(async () => {
    await ssh?.stop();
    network?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const options = (extra: SshClusterOptions = {}): SshClusterOptions => ({ sshArgs: ssh.sshArgs, procs: 2, ...extra });

  const assertNothingLeft = (what: string, executors: number[] = []): Promise<void> => ssh.waitForNothingLeft(what, executors);

  /** Runs test/support/ssh-client.ts (in a namespace when given) and collects its JSON lines. */
  function startClient(job: { hosts: Array<string | SshHost>; options: SshClusterOptions; histograms?: boolean; hold?: boolean }, namespace?: string, spawnOptions: { detached?: boolean } = {}) {
    const argv = [process.execPath, SSH_CLIENT, JSON.stringify(job)];
    const command = namespace === undefined ? argv : ['ip', 'netns', 'exec', namespace, ...argv];
    const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
    clients.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const lines: Array<Record<string, unknown>> = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => { lines.push(JSON.parse(line) as Record<string, unknown>); waiters.splice(0).forEach((w) => w()); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { waiters.splice(0).forEach((w) => w()); resolve(code); }));
    /** The first line with `key`, waiting at most `timeoutMs`. */
    const line = async (key: string, timeoutMs = 60_000): Promise<Record<string, unknown>> => {
      await waitUntil(() => lines.some((l) => key in l) || child.exitCode !== null, timeoutMs, `the ssh client's '${key}' line`);
      const found = lines.find((l) => key in l);
      if (found === undefined) throw new Error(`the ssh client exited (${String(child.exitCode)}) without a '${key}' line: ${JSON.stringify(lines)} ${stderr}`);
      return found;
    };
    return { child, line, exited };
  }

  it('runs the seed\'s histograms on two ssh hosts (127.0.0.1 and a namespace host) and close() leaves nothing (ssh)', async () => {
    const run = startClient({ hosts: ['ns-local', 'ns-host'], options: options(), histograms: true }, network.client);
    const ready = await run.line('ready');
    assert.deepEqual(ready['ready'], { servers: 2, executors: 4 });
    const servers = ready['servers'] as string[];
    assert.match(servers[0] ?? '', /^tcp:\/\/127\.0\.0\.1:\d+$/, 'the loopback host advertises the HostName ssh resolved');
    assert.match(servers[1] ?? '', /^tcp:\/\/10\.77\.1\.2:\d+$/, 'the namespace host advertises its own address');
    const workers = remoteWorkers();
    assert.equal(workers.length, 2, 'one sg-worker per host');
    const executors = workers.flatMap(childrenOf);
    assert.equal(executors.length, 4);
    assert.deepEqual((await run.line('histograms'))['histograms'], { count: 100, sums: [1000], bins: [10] });
    assert.deepEqual(await run.line('closed'), { closed: true });
    assert.equal(await run.exited, 0);
    await assertNothingLeft('after close()', executors);
  });

  it('passes the key on stdin only: not in the argv or environment of ssh, sg-worker or its executors (ssh)', async () => {
    const keyFile = join(dir, 'own.key');
    const key = writeKeyFile(keyFile);
    client = await sshCluster(['local'], options({ keyFile }));
    const [worker] = remoteWorkers();
    assert.ok(worker !== undefined, 'the remote sg-worker runs');
    const executors = childrenOf(worker);
    assert.equal(executors.length, 2);
    const sessions = ssh.sessions();
    assert.ok(sessions.length > 0, 'the ssh process runs');
    for (const pid of [worker, ...executors, ...sessions]) {
      for (const file of ['cmdline', 'environ']) {
        const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
        assert.ok(!text.includes(key.secretKey) && !text.includes(key.publicKey), `no key in /proc/${pid}/${file}`);
      }
    }
    assert.deepEqual(await client.waitForResult(client.addJob([[[7]]], { fn: 'echo' })), [7], 'and the worker took the key');
    await client.close();
    client = undefined;
    await assertNothingLeft('after close()', executors);
  });

  it('kill -9 of one ssh process ends that host\'s sg-worker and executors within seconds; its tasks run elsewhere, handed back, not failed (ssh)', async () => {
    // retries: 0: the worker outlives its session long enough to hand its tasks back, and none may count as lost.
    client = await sshCluster([{ host: 'local', procs: 1 }, { host: 'local-b', procs: 2 }], options({ heartbeatMs: 200, retries: 0 }));
    const workerOf = (procs: string): number => remoteWorkers().find((pid) => argvOf(pid).join(' ').includes(`--procs ${procs}`)) as number;
    const [victim, survivor] = [workerOf('1'), workerOf('2')];
    const victimExecutors = childrenOf(victim);
    const sshOfVictim = ssh.sessions().find((pid) => argvOf(pid).includes('local')) as number;
    assert.ok(victim && survivor && sshOfVictim, 'both workers and the ssh process are found');
    const h = client.addJob(Array.from({ length: 30 }, () => [[200]] as [unknown[]]), { fn: 'sleep' });
    await waitUntil(() => client!.progress(h).done >= 3, 20_000, 'the set to be under way');
    const killedAt = Date.now();
    process.kill(sshOfVictim, 'SIGKILL');
    await waitUntil(() => !isAlive(victim) && victimExecutors.every((pid) => !isAlive(pid)), 5000, 'the remote sg-worker and its executors to end');
    console.log(`      measured: kill -9 of ssh → remote sg-worker and executors gone in ${Date.now() - killedAt} ms`);
    assert.ok(isAlive(survivor), 'the other host\'s worker goes on');
    assert.deepEqual(await client.waitForResult(h, { timeoutMs: 60_000 }), new Array(30).fill(200), 'every task finished, on the other host');
    await client.close();
    client = undefined;
    await assertNothingLeft('after close()');
  });

  it('kill -9 of a remote sg-worker ends its session, and the client has its tasks run elsewhere at once, not heartbeats later (ssh)', async () => {
    // Heartbeats a minute apart: a loss noticed by silence would take three minutes, far past this test's waits.
    client = await sshCluster([{ host: 'local', procs: 1 }, { host: 'local-b', procs: 2 }], options({ heartbeatMs: 60_000, retries: 3 }));
    const workerOf = (procs: string): number => remoteWorkers().find((pid) => argvOf(pid).join(' ').includes(`--procs ${procs}`)) as number;
    const [victim, survivor] = [workerOf('1'), workerOf('2')];
    assert.ok(victim && survivor, 'both workers are found');
    const h = client.addJob(Array.from({ length: 30 }, () => [[200]] as [unknown[]]), { fn: 'sleep' });
    await waitUntil(() => client!.progress(h).done >= 3, 20_000, 'the set to be under way');
    process.kill(victim, 'SIGKILL');
    assert.deepEqual(await client.waitForResult(h, { timeoutMs: 20_000 }), new Array(30).fill(200), 'every task finished, those the dead worker held included');
    assert.ok(isAlive(survivor), 'the other host\'s worker goes on');
    await client.close();
    client = undefined;
    await assertNothingLeft('after close()');
  });

  it('a Ctrl-C to the client\'s process group spares the sessions; kill -9 of the client ends them and the remote workers within seconds (ssh)', async () => {
    const run = startClient({ hosts: ['local', 'local-b'], options: options(), hold: true }, undefined, { detached: true });
    await run.line('ready');
    const workers = remoteWorkers();
    assert.equal(workers.length, 2);
    const executors = workers.flatMap(childrenOf);
    assert.equal(executors.length, 4);
    const sessions = ssh.sessions();
    assert.equal(sessions.length, 2);
    process.kill(-(run.child.pid as number), 'SIGINT');
    await run.line('interrupted');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok([...sessions, ...workers, ...executors].every(isAlive), 'ssh runs in a process group of its own: the Ctrl-C does not reach it');
    const killedAt = Date.now();
    run.child.kill('SIGKILL');
    await assertNothingLeft('after kill -9 of the client', executors);
    console.log(`      measured: kill -9 of the client → ssh, sg-worker and executors gone in ${Date.now() - killedAt} ms`);
  });

  describe('bad input: a clear error within the ready timeout, and nothing left running (ssh)', () => {
    const readyTimeoutMs = 10_000;

    async function rejects(hosts: Array<string | SshHost>, extra: SshClusterOptions, pattern: RegExp): Promise<void> {
      const t0 = Date.now();
      const budget = extra.readyTimeoutMs ?? readyTimeoutMs;
      await assert.rejects(sshCluster(hosts, options({ readyTimeoutMs, ...extra })), pattern);
      assert.ok(Date.now() - t0 < budget + 3000, `rejected within the ready timeout (took ${Date.now() - t0} ms)`);
      await assertNothingLeft('after the failure');
    }

    it('an unknown host (ssh)', async () => {
      // From the client namespace: no name server is reachable there, so no lookup leaves this machine.
      const run = startClient({ hosts: ['no-such-host.invalid'], options: options({ readyTimeoutMs }) }, network.client);
      const failure = await run.line('error');
      assert.match(failure['error'] as string, /ssh does not know the host no-such-host\.invalid\. Check its spelling, or add a Host entry/);
      assert.match(failure['error'] as string, /Could not resolve hostname no-such-host\.invalid/, 'ssh\'s own words');
      assert.ok((failure['ms'] as number) < readyTimeoutMs);
      assert.equal(await run.exited, 1);
      await assertNothingLeft('after the failure');
    });

    it('a refused login (a key the host does not accept) (ssh)', () =>
      rejects(['stranger'], {}, /ssh could not log in to stranger without a prompt[^]*ssh-copy-id stranger[^]*Permission denied \(publickey\)/));

    it('a worker command that is not found on the host (ssh)', () =>
      rejects(['local'], { workerCommand: '/nonexistent/bin/sg-worker' }, /the worker command was not found \(or cannot run\) on local\. Install sg-worker there[^]*workerCommand[^]*exit code 127[^]*\/nonexistent\/bin\/sg-worker/));

    it('a worker that never reports ready: the session is ended at the ready timeout (ssh)', () =>
      // `#` turns the launcher's flags into a comment: a remote command that reads its stdin and never says ready.
      rejects(['local'], { workerCommand: 'cat >/dev/null #', readyTimeoutMs: 3000 }, /sg-worker on local did not report ready within the ready timeout \(3000 ms\); the session was ended/));

    it('a worker whose advertised address does not reach back (ssh)', async () => {
      // The namespace host's worker says 127.0.0.1, which from the client is the client's own loopback.
      const run = startClient({ hosts: [{ host: 'ns-host', advertise: '127.0.0.1' }], options: options({ readyTimeoutMs }) }, network.client);
      const failure = await run.line('error', readyTimeoutMs + 10_000);
      assert.match(failure['error'] as string, /tcp:\/\/127\.0\.0\.1:\d+/, 'names the address tried');
      assert.match(failure['error'] as string, /advertise/, 'and how to change it');
      assert.ok((failure['ms'] as number) < readyTimeoutMs + 5000, `within the ready timeout (${String(failure['ms'])} ms)`);
      assert.equal(await run.exited, 1);
      await assertNothingLeft('after the failure');
    });

    it('no ssh on PATH: the install hint at once, whether ssh was to resolve the address or not (ssh)', async () => {
      const path = process.env['PATH'];
      process.env['PATH'] = dir; // a directory without ssh
      try {
        for (const extra of [{ advertise: '127.0.0.1' }, {}]) {
          const t0 = Date.now();
          await assert.rejects(sshCluster(['local'], options({ readyTimeoutMs: 30_000, ...extra })), { code: 'ERR_SSH', message: /^could not run ssh for local: spawn ssh ENOENT\. Install the OpenSSH client/ });
          assert.ok(Date.now() - t0 < 2000, `rejected at once, not at the ready timeout (took ${Date.now() - t0} ms with ${JSON.stringify(extra)})`);
        }
      } finally {
        process.env['PATH'] = path;
      }
      await assertNothingLeft('after the failure');
    });

    it('an IPv6 address to advertise, from ssh -G or given: refused before any session starts (workers listen on IPv4 only) (ssh)', async () => {
      await ssh.startDaemon('local6', { address: '::1' });
      const ipv6 = (host: string, address: string) => ({ code: 'ERR_SSH_IPV6', message: new RegExp(`^sshCluster: the worker on ${host} would be advertised as ${address.replace(/[[\]]/g, '\\$&')}, an IPv6 address, but workers listen on IPv4 only\\. Name the host by an IPv4 address[^]*advertise$`) });
      await assert.rejects(sshCluster(['local6'], options({ readyTimeoutMs })), ipv6('local6', '::1'));
      await assert.rejects(sshCluster([{ host: 'local', advertise: '[::1]' }], options({ readyTimeoutMs })), ipv6('local', '[::1]'));
      await assertNothingLeft('after the failure');
    });

    it('a host list that is not one: checked before any ssh runs (ssh)', async () => {
      await rejects([], {}, /at least one host/);
      await rejects(['-oProxyCommand=touch /tmp/x'], {}, /is not an ssh destination/);
      await rejects(['local', 'local'], {}, /listed twice/);
      await rejects([{ host: 'local', procs: 0 }], {}, /procs for local must be a whole number/);
    });
  });
});
