import { slurmCluster } from '@scattergather/kernel-ext';

/**
 * A plain script, with nothing else keeping Node alive: its Slurm launch fails (the job cannot find its
 * worker command). It must see the error, print its code, and leave with the exit code it chose.
 */
async function main(): Promise<void> {
  try {
    await slurmCluster({ nodes: 1, procsPerNode: 1, advertise: '127.0.0.1', workerCommand: '/nonexistent/sg-worker', readyTimeoutMs: 20_000 });
    process.stdout.write('launched\n');
  } catch (error) {
    process.stdout.write(`caught ${(error as { code?: string }).code ?? String(error)}\n`);
    process.exitCode = 3;
  }
}

void main();
