import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteError, spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { childrenOf, startWorker, waitUntil, type WorkerProcess } from '../support/processes';
import { closeAfterEach, tempDirEach } from '../support/per-test';

/** Returns at once for 1; otherwise spins for 1.5 s, or exits its executor with 'exit'. */
const quickThenSlow = (x?: number | string): number => {
  if (x === 1) return 1;
  if (x === 'exit') process.exit(3);
  const until = Date.now() + 1500;
  while (Date.now() < until) { /* spin */ }
  return 2;
};

describe('worker-server: a task is charged only for its own timeout, crash or cancel (real processes)', function () {
  this.timeout(60_000);
  const opened = closeAfterEach();
  const dir = tempDirEach('sg-accounting-');

  async function connect(server: WorkerProcess, options = {}): Promise<ScatterGather> {
    const c = await spawnScatterGather([server.url], { heartbeatMs: 200, retries: 0, ...options });
    opened.add(c);
    await c.ready();
    return c;
  }

  it('a finished task keeps its result when the next one on its executor times out', async () => {
    const c = await connect(await startWorker(1));
    const [fine, late] = await c.waitForResult(c.addJob([[[1]], [[]]], { fn: quickThenSlow, timeoutMs: 600 }), { timeoutMs: 10_000 });
    assert.equal(fine, 1, 'task 0 returned in microseconds');
    assert.ok(late instanceof RemoteError && late.remoteName === 'TimeoutError', `task 1 timed out (got ${String(late)})`);
  });

  it('a finished task keeps its result when the next one crashes its executor', async () => {
    const c = await connect(await startWorker(1));
    const [fine, crashed] = await c.waitForResult(c.addJob([[[1]], [['exit']]], { fn: quickThenSlow }), { timeoutMs: 10_000 });
    assert.equal(fine, 1);
    assert.ok(crashed instanceof RemoteError && crashed.remoteName === 'ExecutorCrashed', `task 1 crashed (got ${String(crashed)})`);
  });

  it('a finished task arrives while the next one spins, and cancelling the set does not touch it', async () => {
    const c = await connect(await startWorker(1));
    const h = c.addJob([[[1]], [[]]], { fn: (x?: number): number => { if (x === 1) return 1; for (;;) { /* spin */ } } });
    await waitUntil(() => c.progress(h).done === 1, 2000, 'task 0\'s result while task 1 spins');
    await c.cancel(h);
    const [fine, cancelled] = await c.waitForResult(h, { timeoutMs: 5000 });
    assert.equal(fine, 1, 'the finished task keeps its result');
    assert.ok(cancelled instanceof RemoteError && cancelled.remoteName === 'CancelledError');
    assert.deepEqual(await c.waitForResult(c.addJob([[[7]]], { fn: 'echo' }), { timeoutMs: 5000 }), [7], 'a new executor serves');
  });

  it('a cancelled task already in an executor\'s hands behind another never runs: the one ahead finishes, the next set is not blamed', async () => {
    const c = await connect(await startWorker(1));
    // The executor takes two tasks at once: the sleep, and behind it a task that would spin for ever.
    const ahead = c.addJob([[[800]]], { fn: 'sleep' });
    const doomed = c.addJob([[[]]], { fn: (): never => { for (;;) { /* spin */ } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await c.cancel(doomed);
    const next = c.addJob([[[7]]], { fn: 'echo', timeoutMs: 3000 });
    assert.deepEqual(await c.waitForResult(ahead, { timeoutMs: 5000 }), [800], 'the task ahead ran to its end');
    const [cancelled] = await c.waitForResult(doomed, { timeoutMs: 5000 });
    assert.ok(cancelled instanceof RemoteError && cancelled.remoteName === 'CancelledError');
    assert.deepEqual(await c.waitForResult(next, { timeoutMs: 10_000 }), [7], 'the next task ran, not stuck behind the cancelled one nor timed out for it');
  });

  it('an install that arrives while the only executor is being replaced waits for the new one and names the exports', async () => {
    const server = await startWorker(1);
    const c = await connect(server);
    const source = 'export const twice = (x: number) => 2 * x;';
    assert.deepEqual(await c.install(source, { name: 'during' }), ['twice'], 'installed once (the client compiles it now, not again)');
    const [executor] = childrenOf(server.child.pid as number);
    process.kill(executor as number, 'SIGKILL');
    // Sent at once: the dead executor's replacement is still starting, so none serves.
    assert.deepEqual(await c.install(source, { name: 'during' }), ['twice']);
    assert.deepEqual(await c.waitForResult(c.addJob([[[21]]], { fn: 'twice' }), { timeoutMs: 5000 }), [42]);
  });

  it('under kill -9 of executors, only the task cut off runs again: no completed task runs twice', async () => {
    const server = await startWorker(2);
    const c = await connect(server, { retries: 20 });
    const log = join(dir.path, 'runs');
    // Each run appends "start i pid" and, once its work is done, "end i pid": a completed task that ran again would end twice.
    const work = (path: string, i: number): number => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fs = require('node:fs') as typeof import('node:fs');
      fs.appendFileSync(path, `start ${i} ${process.pid}\n`);
      const until = Date.now() + 5 + (i % 4) * 5;
      while (Date.now() < until) { /* work */ }
      fs.appendFileSync(path, `end ${i} ${process.pid}\n`);
      return i;
    };
    const n = 400;
    const h = c.addJob(Array.from({ length: n }, (_, i) => [[log, i]]), { fn: work });
    const killed = new Set<number>();
    let kills = 0;
    // Not faster: an executor killed within a second of starting counts as one that cannot start, and is restarted ever more slowly.
    const killer = setInterval(() => {
      const executors = childrenOf(server.child.pid as number);
      if (executors.length < 2) return;
      const victim = executors[kills % 2] as number;
      process.kill(victim, 'SIGKILL');
      killed.add(victim);
      kills += 1;
    }, 1200);
    let results: unknown[];
    try {
      results = await c.waitForResult(h, { timeoutMs: 40_000 });
    } finally {
      clearInterval(killer);
    }
    assert.deepEqual(results, Array.from({ length: n }, (_, i) => i), 'every task delivered');
    // A task is completed once its result is in the pipe, just after its "end" line: an executor killed between
    // the two cut it off, and it rightly runs again. That is the only repeat allowed: the first "end" of a task
    // that ended twice must be the last line its executor wrote, and that executor one the test killed.
    const ends = new Map<number, string[]>();
    const lastLineOf = new Map<string, string>();
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const match = /^(start|end) (\d+) (\d+)$/.exec(line);
      if (match === null) continue;
      const [, kind, i, pid] = match as unknown as [string, string, string, string];
      lastLineOf.set(pid, line);
      if (kind === 'end') ends.set(Number(i), [...(ends.get(Number(i)) ?? []), line]);
    }
    assert.ok(kills >= 2, `executors were killed (${kills} times)`);
    const ranAgain = [...ends.entries()].filter(([, lines]) => lines.length > 1).filter(([, [first]]) => {
      const pid = (first as string).split(' ')[2] as string;
      return !(killed.has(Number(pid)) && lastLineOf.get(pid) === first);
    });
    assert.deepEqual(ranAgain, [], `no completed task ran again (${kills} kills)`);
  });
});
