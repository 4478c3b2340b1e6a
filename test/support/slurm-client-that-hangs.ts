import { slurmCluster } from '@scattergather/kernel-ext';

/** A client process for lifecycle tests: starts a two-job Slurm cluster, prints its job count as JSON, then waits to be killed. */
async function main(): Promise<void> {
  const c = await slurmCluster({ nodes: 2, procsPerNode: 1, advertise: '127.0.0.1', readyTimeoutMs: 30_000 });
  const ready = await c.ready();
  c.addJob(Array.from({ length: 20 }, () => [[10_000]]), { fn: 'sleep' });
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  setInterval(() => undefined, 1000);
}

void main();
