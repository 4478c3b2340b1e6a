import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { slurmCluster, type ScatterGather, type SlurmClusterOptions } from '@scattergather/kernel-ext';
import { isAlive, killAll, ROOT, startWorker, waitUntil } from '../../support/processes';
import { jobProcesses, queuedJobs, startSlurm, type TestSlurm } from '../../support/slurm';

type Histogram = { counts: number[]; edges: number[] };

describe('Slurm launcher: slurmCluster on a real one-node Slurm', function () {
  this.timeout(120_000);
  let slurm: TestSlurm;
  let home: string;
  const saved: Record<string, string | undefined> = {};
  // Two jobs of one CPU each fit the one node (CPUs=2); the tests must never target a non-loopback address.
  const twoJobs: SlurmClusterOptions = { nodes: 2, procsPerNode: 1, advertise: '127.0.0.1', readyTimeoutMs: 30_000 };

  before(async function () {
    this.timeout(600_000);
    // The user's key and the jobs' output files go to a private directory, never the real user's.
    home = mkdtempSync(join(tmpdir(), 'sg-slurm-home-'));
    for (const [name, dir] of [['XDG_CONFIG_HOME', 'config'], ['XDG_CACHE_HOME', 'cache']] as const) {
      saved[name] = process.env[name];
      process.env[name] = join(home, dir);
    }
    slurm = await startSlurm();
  });

  after(async function () {
    this.timeout(60_000);
    await slurm?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(home, { recursive: true, force: true });
  });

  /** Nothing a test started may be left: no job in squeue, no sg-worker or executor. */
  async function assertNothingLeft(): Promise<void> {
    assert.deepEqual(queuedJobs(), [], 'no job in squeue');
    await waitUntil(() => jobProcesses(slurm).length === 0, 5000, 'every sg-worker and executor of the jobs to exit');
  }

  it('dryRun shows the job script and submits nothing', async () => {
    const script = await slurmCluster({
      nodes: 3, procsPerNode: 2, partition: 'debug', time: '1:30:00', sbatchArgs: ['--mem=1G'],
      prologue: ['module load nodejs'], advertise: '127.0.0.1', dryRun: true,
    });
    const lines = script.split('\n');
    assert.equal(lines[0], '#!/bin/bash');
    for (const directive of ['--nodes=1', '--ntasks=1', '--cpus-per-task=2', '--partition=debug', '--time=1:30:00', '--job-name=sg-worker', '--mem=1G']) {
      assert.ok(lines.includes(`#SBATCH ${directive}`), `#SBATCH ${directive} in\n${script}`);
    }
    assert.match(script, /^#SBATCH --output=.*\/scattergather\/slurm\/sg-worker-%j-[0-9a-f]{8}\.out$/m, 'one file per job and launch: an earlier job of the same id never passes for this one');
    const exec = lines.findIndex((l) => l.startsWith('exec '));
    assert.equal(lines[exec - 1], 'module load nodejs', 'the prologue runs just before the worker');
    const [, node, worker] = lines[exec]?.split(' ') ?? [];
    const manifest = JSON.parse(readFileSync(join(ROOT, 'worker-server', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.deepEqual([node, realpathSync(worker ?? '')], [process.execPath, join(ROOT, 'worker-server', manifest.bin['sg-worker'] ?? '')], 'this Node runs this install\'s sg-worker');
    for (const arg of ['--bind tcp://127.0.0.1:0', '--advertise "127.0.0.1"', '--procs 2', '--walltime $((5400 - SECONDS))', `--key-file ${join(home, 'config', 'scattergather', 'cluster.key')}`]) {
      assert.ok(lines[exec]?.includes(arg), `${arg} in ${lines[exec]}`);
    }
    const perNode = await slurmCluster({ nodes: 2, advertise: '$(hostname -i)', dryRun: true });
    assert.match(perNode, /^exec .* --bind tcp:\/\/0\.0\.0\.0:0 .* --advertise "\$\(hostname -i\)" --procs "\$SLURM_CPUS_ON_NODE"$/m, 'each node advertises its own address; whole nodes, one executor per CPU');
    assert.match(perNode, /^#SBATCH --exclusive$/m);
    assert.deepEqual(queuedJobs(), []);
  });

  it('runs the seed\'s histograms on two sg-worker jobs; close() leaves no job, worker or executor', async () => {
    const c = await slurmCluster(twoJobs);
    let pids: number[];
    try {
      assert.deepEqual(await c.ready(), { servers: 2, executors: 2 });
      assert.equal(queuedJobs().length, 2, 'one job per node');
      const status = await c.status();
      assert.ok(status.servers.every((s) => s.alive && /^tcp:\/\/127\.0\.0\.1:\d+$/.test(s.url)), JSON.stringify(status.servers));
      pids = jobProcesses(slurm);
      assert.ok(pids.length >= 4, `two sg-workers and their executors run in the jobs: ${pids.join(' ')}`);
      const results = (await c.waitForResult(c.addJob(Array.from({ length: 100 }, () => [[1000, { bins: 10 }]]), { fn: 'histogram' }), { timeoutMs: 60_000 })) as Histogram[];
      assert.equal(results.length, 100);
      for (const r of results) {
        assert.equal(r.counts.length, 10);
        assert.equal(r.counts.reduce((a, b) => a + b, 0), 1000);
      }
    } finally {
      await c.close();
    }
    assert.ok(pids.every((pid) => !isAlive(pid)), 'the jobs\' processes are gone once close() resolves');
    await assertNothingLeft();
  });

  it('a squeue that fails once (a busy slurmctld timing out) is asked again: the launch goes on', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'sg-flaky-squeue-'));
    const marker = join(bin, 'failed-once');
    const real = execFileSync('sh', ['-c', 'command -v squeue'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'squeue'), `#!/bin/sh\nif [ ! -e '${marker}' ]; then echo "$@" > '${marker}'; echo 'slurm_load_jobs error: Socket timed out on send/recv operation' >&2; exit 1; fi\nexec '${real}' "$@"\n`, { mode: 0o700 });
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
    try {
      const c = await slurmCluster({ ...twoJobs, nodes: 1 });
      try {
        assert.deepEqual(await c.ready(), { servers: 1, executors: 1 });
        assert.match(readFileSync(marker, 'utf8'), /-t all -j \d+ /, 'the call that failed was the launcher asking for a job\'s state');
      } finally {
        await c.close();
      }
    } finally {
      process.env['PATH'] = savedPath;
      rmSync(bin, { recursive: true, force: true });
    }
    await assertNothingLeft();
  });

  it('a job cancelled with scancel mid-set is a lost server: its tasks run on the other one and every result is right', async () => {
    const c = await slurmCluster(twoJobs);
    try {
      await c.ready();
      const h = c.addJob(Array.from({ length: 40 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 100)); return i * 2; } });
      await waitUntil(() => c.progress(h).done >= 4, 20_000, 'a few results');
      const [victim] = queuedJobs();
      execFileSync('scancel', [victim as string]);
      const results = await c.waitForResult(h, { timeoutMs: 60_000 });
      assert.deepEqual(results, Array.from({ length: 40 }, (_, i) => i * 2));
      const seen = c.poll().results.filter((r) => r.set === h.id).map((r) => r.index).sort((a, b) => a - b);
      assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i), 'each result was delivered once');
      await waitUntil(async () => (await c.status()).servers.filter((s) => s.alive).length === 1, 10_000, 'the controller to count the cancelled job\'s server as lost');
      assert.equal(queuedJobs().length, 1, 'the other job runs on');
    } finally {
      await c.close();
    }
    await assertNothingLeft();
  });

  it('with time set, a job\'s worker drains before its walltime: queued tasks go to another server, no running task is killed', async function () {
    // Slurm's shortest limit is a minute; the worker stops taking tasks 6 s before it (10 %).
    this.timeout(180_000);
    const keyFile = join(home, 'config', 'scattergather', 'cluster.key');
    const c = await slurmCluster({ nodes: 1, procsPerNode: 1, time: '1', advertise: '127.0.0.1', readyTimeoutMs: 30_000, retries: 0 });
    try {
      const [job] = queuedJobs();
      const local = await startWorker(1, ['--key-file', keyFile]);
      await c.addServers([local.url]);
      await c.ready();
      // About 70 s of work for two executors: the set straddles the job's end.
      const h = c.addJob(Array.from({ length: 90 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 1500)); return i; } });
      const results = await c.waitForResult(h, { timeoutMs: 150_000 });
      assert.deepEqual(results, Array.from({ length: 90 }, (_, i) => i), 'every task succeeded although retries is 0');
      assert.deepEqual(queuedJobs(), [], 'the job ended');
      assert.equal(execFileSync('squeue', ['-h', '-t', 'all', '-j', job as string, '-o', '%T'], { encoding: 'utf8' }).trim(), 'COMPLETED', 'the worker ended its job itself, before Slurm\'s time limit');
    } finally {
      await c.close();
      await killAll();
    }
    await assertNothingLeft();
  });

  it('a client killed with SIGKILL has its jobs cancelled, and their workers and executors end', async () => {
    const script = join(__dirname, '..', '..', 'support', 'slurm-client-that-hangs.js');
    const client = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the client did not start in 60 s')), 60_000);
        createInterface({ input: client.stdout }).once('line', (l) => { clearTimeout(timer); resolve(l); });
      });
      assert.deepEqual(JSON.parse(line), { servers: 2, executors: 2 });
      assert.equal(queuedJobs().length, 2);
      client.kill('SIGKILL');
      await waitUntil(() => queuedJobs().length === 0, 20_000, 'squeue to show no job of the dead client');
      await assertNothingLeft();
    } finally {
      client.kill('SIGKILL');
    }
  });

  it('a plain script whose launch fails sees the error: the jobs\' clean-up keeps Node alive until it is done', async () => {
    const script = join(__dirname, '..', '..', 'support', 'slurm-client-failing-launch.js');
    const started = Date.now();
    const client = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      client.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the script did not end in 60 s; it printed: ${out}`)), 60_000);
        client.once('exit', (c) => { clearTimeout(timer); resolve(c); });
      });
      assert.equal(out, 'caught ERR_SLURM_JOB_ENDED\n');
      assert.equal(code, 3, 'the exit code the script set in its catch');
      assert.ok(Date.now() - started < 8000, `the script ended ${Date.now() - started} ms after it started: nothing of the clean-up held it once done`);
      await assertNothingLeft();
    } finally {
      client.kill('SIGKILL');
    }
  });

  describe('Slurm launcher: bad input rejects within the ready timeout and leaves nothing running', () => {
    /** `path`: PATH while slurmCluster runs. */
    async function rejectsQuickly(options: SlurmClusterOptions, code: string, message: RegExp, path = process.env['PATH']): Promise<void> {
      const t0 = Date.now();
      let client: ScatterGather | undefined;
      const savedPath = process.env['PATH'];
      process.env['PATH'] = path;
      // sbatch is spawned before slurmCluster first awaits, so PATH can be put back at once.
      const started = slurmCluster(options).then((c) => { client = c; });
      process.env['PATH'] = savedPath;
      await assert.rejects(started, (error: Error & { code?: string }) => {
        assert.equal(error.code, code, error.message);
        assert.match(error.message, message);
        return true;
      });
      await client?.close();
      assert.ok(Date.now() - t0 < (options.readyTimeoutMs ?? 0) + 15_000, `rejected in ${Date.now() - t0} ms`);
      await assertNothingLeft();
    }

    it('sbatch missing from PATH', async () => {
      await rejectsQuickly({ ...twoJobs, readyTimeoutMs: 5000 }, 'ERR_SLURM_MISSING', /sbatch was not found on PATH \(\/nonexistent\).*add their directory to PATH/, '/nonexistent');
    });

    it('an unknown partition: sbatch\'s own error, and where to look', async () => {
      await rejectsQuickly({ ...twoJobs, partition: 'nosuch', readyTimeoutMs: 5000 }, 'ERR_SLURM_SUBMIT', /Slurm refused the sg-worker job.*invalid partition specified: nosuch[\s\S]*sinfo lists the partitions/);
    });

    it('a job pending past the ready timeout (a DOWN partition): its id, state and Slurm\'s reason, and it is cancelled', async () => {
      await rejectsQuickly({ ...twoJobs, nodes: 1, partition: slurm.downPartition, readyTimeoutMs: 4000 }, 'ERR_SLURM_PENDING', /Slurm job \d+ is still PENDING \(reason: PartitionDown\) after 4000 ms, so it was cancelled/);
    });

    it('a worker command the job cannot find: the job\'s output in the error', async () => {
      await rejectsQuickly({ ...twoJobs, workerCommand: '/nonexistent/sg-worker', readyTimeoutMs: 20_000 }, 'ERR_SLURM_JOB_ENDED', /Slurm job \d+ ended \(FAILED[^)]*\) before its sg-worker was ready; the end of .*sg-worker-\d+-[0-9a-f]{8}\.out:\n.*\/nonexistent\/sg-worker: No such file or directory[\s\S]*Check workerCommand and prologue/);
    });

    it('a time limit Slurm cannot read, and a bad node count, before anything is submitted', async () => {
      await rejectsQuickly({ ...twoJobs, time: '90 minutes' }, 'ERR_SLURM_TIME', /'90 minutes' is not a Slurm time limit: write minutes, MM:SS, HH:MM:SS/);
      await rejectsQuickly({ ...twoJobs, nodes: 0 }, 'ERR_SLURM_OPTION', /nodes must be a whole number ≥ 1, not 0/);
      await rejectsQuickly({ ...twoJobs, sbatchArgs: ['--output=/tmp/x.out'] }, 'ERR_SLURM_OPTION', /leave --output out of sbatchArgs: .*set outputDir instead/);
      await rejectsQuickly({ ...twoJobs, sbatchArgs: ['-M', 'gpu'] }, 'ERR_SLURM_OPTION', /leave -M out of sbatchArgs: .*run the client on its login node/);
      await rejectsQuickly({ ...twoJobs, outputDir: join(home, 'job output') }, 'ERR_SLURM_OPTION', /output directory '.*job output' holds a space or a %.*give outputDir a path without them/);
    });
  });
});
