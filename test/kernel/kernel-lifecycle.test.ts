/**
 * The kernel's life around its cluster: connecting to running workers, and a
 * kernel that is shut down or killed taking its cluster with it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel } from '../support/jupyter-kernel';
import { startWorker } from '../support/processes';
import { fails, ok, resultText, sleep } from './cells';

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
