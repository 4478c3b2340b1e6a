import { localCluster } from '@scattergather/kernel-ext';

/** A client process for lifecycle tests: starts a local cluster, prints every pid it owns as JSON, then waits to be killed. */
async function main(): Promise<void> {
  const c = await localCluster({ servers: 2, procs: 2 });
  await c.ready();
  const status = await c.status();
  c.addJob(Array.from({ length: 50 }, () => [[10_000]]), { fn: 'sleep' });
  process.stdout.write(`${JSON.stringify({ controller: status.controller.pid, executors: status.executors.map((e) => e.pid) })}\n`);
  setInterval(() => undefined, 1000);
}

void main();
