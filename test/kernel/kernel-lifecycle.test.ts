/**
 * The kernel's life around its cluster: connecting to running workers, starting
 * them over ssh (a real sshd on 127.0.0.1), and a kernel that is shut down or
 * killed taking its cluster (local or over ssh) with it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel } from '../support/jupyter-kernel';
import { childrenOf, isAlive, startWorker } from '../support/processes';
import { argvOf, sshStartedWorkers, TestSsh } from '../support/sshd';
import { fails, ok, resultText, run, sleep } from './cells';

describe('kernel: cluster lifecycle through a real Jupyter server', function () {
  this.timeout(60_000);
  let server: JupyterServer;
  let kernel: TestKernel;
  let rootDir: string;

  before(async () => {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-kernel-life-'));
    server = await startJupyterServer({ rootDir });
    kernel = await TestKernel.start(server);
  });

  after(async function () {
    this.timeout(30_000);
    await kernel?.shutdown();
    await server?.stop();
    fs.rmSync(rootDir, { recursive: true, force: true });
  });

  it('%cluster connect URL*N connects to running workers, and says so clearly when it cannot', async () => {
    const worker = await startWorker(1);
    try {
      const r = await ok(kernel, `%cluster connect ${worker.url}*1`);
      assert.match(resultText(r), /cluster: 1 server, 1 executor ready/);
      await ok(kernel, '%scatter echo [[["a"]], [["b"]]]');
      assert.match(resultText(await ok(kernel, '%gather --wait')), /^0\s+"a"\n1\s+"b"$/m);
      await ok(kernel, '%cluster die');
    } finally {
      await worker.stop();
    }
    const t0 = Date.now();
    const bad = await fails(kernel, '%cluster connect tcp://127.0.0.1:1 --ready-timeout 1');
    assert.equal(bad.errors[0]?.ename, 'ClusterError');
    assert.match(bad.errors[0]?.evalue ?? '', /could not start the cluster/);
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal((await fails(kernel, 'sg.poll()')).errors[0]?.ename, 'NoCluster');
  });

  it('a kernel that is shut down, or whose process is killed, takes its cluster with it', async () => {
    for (const how of ['shutdown', 'SIGKILL'] as const) {
      const k = await TestKernel.start(server);
      try {
        const r = await k.execute('%cluster local 1\nconst st = await sg.status();\nconsole.log(JSON.stringify([st.controller.pid, ...st.executors.map((e) => e.pid)]))');
        assert.equal(r.status, 'ok', r.stderr + JSON.stringify(r.errors));
        const pids = JSON.parse(r.stdout) as number[];
        const kernelPid = parentOf(pids[0] ?? 0);
        const wrapperPid = parentOf(kernelPid);
        assert.ok(pids.every(alive) && alive(kernelPid) && alive(wrapperPid));
        if (how === 'SIGKILL') process.kill(wrapperPid, 'SIGKILL');
        else await k.shutdown();
        const t0 = Date.now();
        const deadline = t0 + 15_000;
        while ([...pids, kernelPid].some(alive) && Date.now() < deadline) await sleep(100);
        console.log(`      measured: kernel ${how} → its cluster gone: ${Date.now() - t0} ms`);
        assert.deepEqual([...pids, kernelPid].filter(alive), [], `still running after ${how}`);
      } finally {
        await k.shutdown();
      }
    }
  });

  describe('%cluster ssh against a real sshd on 127.0.0.1 (ssh)', () => {
    let ssh: TestSsh;

    before(async function () {
      this.timeout(300_000);
      ssh = new TestSsh();
      await ssh.startDaemon('node-a');
      ssh.addAlias('stranger', { ...ssh.host('node-a'), identity: ssh.strangerKey });
    });

    // A test that failed midway leaves no cluster for the next one.
    afterEach(async () => {
      await run(kernel, '%cluster die', 10_000).catch(() => undefined);
    });

    after(async () => {
      await ssh?.stop();
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
      await ok(kernel, 'const slow = %scatter sleep [[[3000]], [[3000]]]');
      const waiting = run(kernel, "console.log('waiting for slow'); const got = await sg.waitForResult(slow)");
      // Interrupt only once the cell runs (a busy machine may be slow to start it).
      await kernel.waitForIopub((msgs) => msgs.some((m) => m.header.msg_type === 'stream' && String((m.content as { text?: string }).text).includes('waiting for slow')), 20_000, 'the waiting cell to run');
      await kernel.interrupt();
      assert.equal((await waiting).status, 'error', 'the interrupt ended the wait');
      assert.ok([...sessions, ...workers, ...executors].every(isAlive), 'ssh, sg-worker and executors survive the interrupt');
      assert.match(resultText(await ok(kernel, '%gather slow --wait')), /^0\s+3000\n1\s+3000$/m);
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
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
