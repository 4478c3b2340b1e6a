import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { localCluster } from '@scattergather/kernel-ext';
import { childrenOf, isAlive, killAll, processesMatching, startWorker, stopProcess, waitUntil } from '../support/processes';
import { argvOf, parentOf } from '../support/proc-info';
import { ScatterGatherError, spawnScatterGather } from '@scattergather/kernel-ext';

/** The value of `flag` a process was started with, from its command line; none if it is gone. */
function flagOf(pid: number, flag: string): string[] {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
  const at = args.indexOf(flag);
  return at < 0 ? [] : [args[at + 1] as string];
}

describe('kernel-ext local clusters and process lifetimes', function () {
  this.timeout(60_000);
  afterEach(killAll);

  it('a put value reaches tasks on both local servers: they fetch it from each other under the controller\'s one id', async () => {
    const c = await localCluster({ servers: 2, procs: 1 });
    try {
      await c.ready();
      const value = await c.put([10, 20, 30]);
      const h = c.addJob(Array.from({ length: 200 }, (_, i) => [[value, i]]), { fn: (v: number[], i: number) => [(v[0] ?? 0) + i, process.pid] });
      const results = (await c.waitForResult(h, { timeoutMs: 30_000 })) as unknown[];
      assert.ok(results.every((r, i) => Array.isArray(r) && r[0] === 10 + i), `every task read the value: ${String(results.find((r) => !Array.isArray(r)))}`);
      const pids = new Set(results.map((r) => (r as number[])[1]));
      assert.equal(pids.size, 2, 'the tasks ran on both servers, so one of them fetched the value from the other');
    } finally {
      await c.close();
    }
  });

  it('localCluster starts servers on 127.0.0.1 and close() leaves no process behind', async () => {
    const c = await localCluster({ servers: 2, procs: 2 });
    assert.deepEqual(await c.ready(), { servers: 2, executors: 4 });
    const status = await c.status();
    assert.ok(status.servers.every((s) => s.url.startsWith('tcp://127.0.0.1:')));
    const pids = [status.controller.pid, ...status.executors.map((e) => e.pid)];
    assert.deepEqual(await c.waitForResult(c.addJob([[[2]]], { fn: 'echo' })), [2]);
    await c.close();
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5000, 'the controller and executors to exit');
  });

  it('the controller, servers and executors of a local cluster run with one V8 helper thread each', async () => {
    const c = await localCluster({ servers: 1, procs: 2 });
    try {
      await c.ready();
      const status = await c.status();
      const executors = status.executors.map((e) => e.pid);
      for (const pid of [status.controller.pid, parentOf(executors[0] as number), ...executors]) {
        assert.ok(argvOf(pid).includes('--v8-pool-size=1'), `pid ${pid}`);
      }
    } finally {
      await c.close();
    }
  });

  it('close() called twice: each call returns only once every process is gone', async () => {
    const c = await localCluster({ servers: 1, procs: 1 });
    await c.ready();
    const status = await c.status();
    const executors = status.executors.map((e) => e.pid);
    const servers = executors.map(parentOf);
    const pids = [status.controller.pid, ...executors, ...servers];
    const first = c.close();
    const second = c.close();
    await first;
    assert.deepEqual(pids.filter(isAlive), [], 'the first call waited for the servers the second one also stops');
    await second;
  });

  it('close() of a controller that is alive but stopped (SIGSTOP) kills it within seconds instead of waiting for its answer', async () => {
    const c = await localCluster({ servers: 1, procs: 1 });
    await c.ready();
    const { pid } = (await c.status()).controller;
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await c.close();
      assert.ok(Date.now() - started < 15_000, `close() took ${Date.now() - started} ms`);
      await waitUntil(() => !isAlive(pid), 5000, 'the stopped controller to be killed');
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('rejects bad server lists and options with errors that say what to do', async () => {
    // Every one a ScatterGatherError, as the README says of what the client raises, whichever package found it.
    const says = (pattern: RegExp) => (e: unknown): boolean => e instanceof ScatterGatherError && pattern.test(e.message);
    await assert.rejects(spawnScatterGather([]), says(/at least one worker server URL/));
    await assert.rejects(spawnScatterGather(['127.0.0.1:5555']), says(/write it as tcp:\/\/HOST:PORT/));
    await assert.rejects(spawnScatterGather(['tcp://127.0.0.1:5555', 'tcp://127.0.0.1:5555']), says(/listed twice/));
    await assert.rejects(spawnScatterGather([{ url: 'tcp://127.0.0.1:5555', workers: 0 }]), says(/positive whole number/));
    await assert.rejects(spawnScatterGather(['tcp://127.0.0.1:5555'], { keyFile: '/nonexistent/cluster.key' }), says(/nonexistent/));
    await assert.rejects(localCluster({ procs: 0 }), says(/procs must be a whole number/));
    // In the caller's words, not as the controller's command-line flags; before any process starts.
    await assert.rejects(spawnScatterGather(['tcp://127.0.0.1:5555'], { weight: 0 }), says(/^weight must be a number > 0, not 0/));
    await assert.rejects(localCluster({ readyTimeoutMs: -1 }), says(/^readyTimeoutMs must be a number > 0/));
    await assert.rejects(localCluster({ retries: 1.5 }), says(/^retries must be a whole number ≥ 0, not 1.5/));
    await assert.rejects(localCluster({ heartbeatMs: 0.5 }), says(/^heartbeatMs must be a whole number ≥ 1, not 0.5/));
  });

  it('says which server did not answer when ready() times out', async () => {
    const c = await spawnScatterGather(['tcp://127.0.0.1:9'], { readyTimeoutMs: 500 });
    try {
      await assert.rejects(c.ready(), /no answer within 500 ms from tcp:\/\/127\.0\.0\.1:9 \(the address this client tried\): is sg-worker running there.*--advertise HOST/s);
    } finally {
      await c.close();
    }
  });

  it('a server whose process its client saw exit before it answered: ready() says so at once', async () => {
    const c = await spawnScatterGather(['tcp://127.0.0.1:9'], { readyTimeoutMs: 20_000 });
    try {
      c.serverExited(0, 'SIGKILL');
      await assert.rejects(c.ready(), (e: unknown) => {
        assert.ok(e instanceof ScatterGatherError, String(e));
        assert.equal(e.code, 'ERR_SERVER_UNUSABLE');
        assert.match(e.message, /tcp:\/\/127\.0\.0\.1:9: its process exited \(SIGKILL\) before it answered/);
        return true;
      });
    } finally {
      await c.close();
    }
  });

  it('a server stopped with SIGTERM hands its tasks back and the set completes, each task once', async () => {
    const [a, b] = await Promise.all([startWorker(2), startWorker(2)]);
    const c = await spawnScatterGather([a!.url, b!.url], { retries: 0 });
    try {
      await c.ready();
      const h = c.addJob(Array.from({ length: 24 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 150)); return i; } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await stopProcess(a!.child), 0);
      const results = await c.waitForResult(h, { timeoutMs: 20_000 });
      assert.deepEqual(results, Array.from({ length: 24 }, (_, i) => i), 'no task failed or was lost, although retries is 0');
      const seen = c.poll().results.filter((r) => r.set === h.id).map((r) => r.index).sort((x, y) => x - y);
      assert.deepEqual(seen, Array.from({ length: 24 }, (_, i) => i), 'each result was delivered exactly once');
    } finally {
      await c.close();
    }
  });

  it('a local server killed outright: its FIFOs go at once, and its running tasks run on the other without waiting for heartbeats', async () => {
    // Heartbeats a minute apart: a loss noticed by silence would take three minutes, far past this test's waits.
    const c = await localCluster({ servers: 2, procs: 1, heartbeatMs: 60_000 });
    try {
      await c.ready();
      const status = await c.status();
      const servers = childrenOf(process.pid).filter((pid) => pid !== status.controller.pid && flagOf(pid, '--pipe-link').length === 1);
      assert.equal(servers.length, 2, 'two local sg-worker processes, each with a pipe link');
      const h = c.addJob(Array.from({ length: 6 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 300)); return i; } });
      await waitUntil(() => c.progress(h).done >= 1, 10_000, 'the first task to finish');
      // The victim is a server running one of the set's tasks right now.
      const busy = (await c.status()).executors.filter((e) => e.busy).map((e) => e.pid);
      const victim = servers.find((pid) => childrenOf(pid).some((child) => busy.includes(child)));
      assert.ok(victim !== undefined, `a server with a busy executor (busy: ${busy.join(', ')})`);
      const killed = flagOf(victim, '--pipe-link')[0] as string;
      const kept = flagOf(servers.find((pid) => pid !== victim) as number, '--pipe-link')[0] as string;
      process.kill(victim, 'SIGKILL');
      await waitUntil(() => !existsSync(killed as string), 5000, 'the killed server\'s pipe-link directory to go');
      assert.equal(existsSync(kept as string), true, 'the live server\'s pipe link stays');
      assert.deepEqual(await c.waitForResult(h, { timeoutMs: 15_000 }), Array.from({ length: 6 }, (_, i) => i), 'every task, those the dead server held included');
    } finally {
      await c.close();
    }
  });

  it('a client killed with SIGKILL takes its controller, servers and executors with it', async () => {
    const script = join(__dirname, '..', 'support', 'client-that-hangs.js');
    const client = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the client did not start in 20 s')), 20_000);
      createInterface({ input: client.stdout }).once('line', (l) => { clearTimeout(timer); resolve(l); });
    });
    const { controller, executors } = JSON.parse(line) as { controller: number; executors: number[] };
    const servers = childrenOf(client.pid as number).filter((pid) => pid !== controller);
    assert.equal(servers.length, 2, 'two local sg-worker processes');
    const shared = flagOf(controller, '--shared-dir');
    assert.equal(shared.length, 1, 'the local cluster\'s client made a shared-array directory and told its controller');
    client.kill('SIGKILL');
    const everything = [controller, ...servers, ...executors];
    await waitUntil(() => everything.every((pid) => !isAlive(pid)), 5000, 'every process of the dead client to exit');
    assert.deepEqual(processesMatching(script), []);
    assert.equal(existsSync(shared[0] as string), false, 'the controller removed the dead client\'s shared-array directory');
  });
});
