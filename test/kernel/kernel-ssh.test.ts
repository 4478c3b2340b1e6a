/**
 * `%cluster ssh` through a real Jupyter server and a real sshd on 127.0.0.1: workers started over
 * ssh run the seed's histograms; `%cluster die` and the kernel dying leave nothing on the host.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel } from '../support/jupyter-kernel';
import { childrenOf, isAlive } from '../support/processes';
import { argvOf, sshStartedWorkers, TestSsh } from '../support/sshd';
import { fails, ok, resultText, run, sleep } from './cells';

describe('kernel: %cluster ssh through a real Jupyter server and sshd (ssh)', function () {
  this.timeout(90_000);
  let server: JupyterServer;
  let kernel: TestKernel;
  let ssh: TestSsh;
  let rootDir: string;

  before(async function () {
    this.timeout(300_000);
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-kernel-ssh-'));
    ssh = new TestSsh();
    await ssh.startDaemon('node-a');
    ssh.addAlias('stranger', { ...ssh.host('node-a'), identity: ssh.strangerKey });
    server = await startJupyterServer({ rootDir });
    kernel = await TestKernel.start(server);
  });

  after(async function () {
    this.timeout(30_000);
    await kernel?.shutdown();
    await server?.stop();
    await ssh?.stop();
    fs.rmSync(rootDir, { recursive: true, force: true });
  });

  it('%cluster ssh HOST*N starts a worker over ssh; the histograms run; %cluster die leaves nothing', async () => {
    const r = await ok(kernel, `%cluster ssh node-a*2 --ssh-args "-F ${ssh.configFile}"`);
    assert.match(resultText(r), /ssh cluster: 1 server, 2 executors ready/);
    const workers = sshStartedWorkers();
    assert.equal(workers.length, 1);
    const executors = workers.flatMap(childrenOf);
    await ok(kernel, 'const hs = %scatter histogram Array.from({ length: 100 }, () => [[1000, { bins: 10 }]])');
    const sums = await ok(kernel, 'const rs = await sg.waitForResult(hs);\nconsole.log(JSON.stringify([...new Set(rs.map((r: any) => r.counts.reduce((a: number, b: number) => a + b, 0)))]), rs.length)');
    assert.equal(sums.stdout.trim(), '[1000] 100');
    // An interrupt ends the wait, not the ssh session: it runs in a process group of its own.
    const sessions = ssh.sessions();
    await ok(kernel, 'const slow = %scatter sleep [[[1500]], [[1500]]]');
    const waiting = run(kernel, '%gather slow --wait');
    await sleep(300);
    await kernel.interrupt();
    assert.equal((await waiting).errors[0]?.ename, 'KeyboardInterrupt');
    assert.ok([...sessions, ...workers, ...executors].every(isAlive), 'ssh, sg-worker and executors survive the interrupt');
    assert.match(resultText(await ok(kernel, '%gather slow --wait')), /\[ 1500, 1500 \]/);
    await ok(kernel, '%cluster die');
    await ssh.waitForNothingLeft('after %cluster die', executors);
  });

  it('a refused login fails the cell with the host and the fix, and leaves nothing', async () => {
    const t0 = Date.now();
    const r = await fails(kernel, `%cluster ssh stranger --ssh-args "-F ${ssh.configFile}" --ready-timeout 10`);
    assert.equal(r.errors[0]?.ename, 'ClusterError');
    assert.match(r.errors[0]?.traceback.join('\n') ?? '', /could not log in to stranger[^]*ssh-copy-id/);
    assert.ok(Date.now() - t0 < 15_000);
    await ssh.waitForNothingLeft('after the failure');
  });

  it('a kernel killed with SIGKILL takes its ssh sessions and remote workers with it', async () => {
    const k = await TestKernel.start(server);
    try {
      const r = await k.execute(`%cluster ssh node-a*1 --ssh-args "-F ${ssh.configFile}"\nconsole.log(process.pid, process.ppid)`);
      assert.equal(r.status, 'ok', r.stderr + JSON.stringify(r.errors));
      const [kernelPid, wrapperPid] = r.stdout.trim().split(/\s+/).map(Number) as [number, number];
      const executors = sshStartedWorkers().flatMap(childrenOf);
      assert.equal(executors.length, 1);
      assert.match(argvOf(wrapperPid).join(' '), /sg-kernel/, 'the kernel runs under its sg-kernel wrapper');
      // The wrapper and the kernel process both: nothing is left to close the sessions politely.
      process.kill(kernelPid, 'SIGKILL');
      process.kill(wrapperPid, 'SIGKILL');
      const t0 = Date.now();
      await ssh.waitForNothingLeft('after the kernel was killed', executors, 10_000);
      console.log(`      measured: kernel SIGKILL → ssh sessions and remote workers gone: ${Date.now() - t0} ms`);
    } finally {
      await k.shutdown().catch(() => undefined);
    }
  });
});
