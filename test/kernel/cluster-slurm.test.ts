/** `%cluster slurm`: its arguments, its completion, and a real run through Jupyter on a real one-node Slurm. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel } from '../support/jupyter-kernel';
import { jobProcesses, queuedJobs, startSlurm, type TestSlurm } from '../support/slurm';
import { waitUntil } from '../support/processes';
import { ok as okCell, resultText } from './cells';
import { completion, errors, rewriter } from './kernel-modules';

function rewrite(code: string): string {
  const r = rewriter.tryRewriteCell(code, { isLocalFunction: () => false });
  if (r instanceof errors.KernelError) throw r;
  return r.code;
}

function failure(code: string): InstanceType<typeof errors.KernelError> {
  const r = rewriter.tryRewriteCell(code, { isLocalFunction: () => false });
  assert.ok(r instanceof errors.KernelError, `expected an error for ${code}`);
  return r;
}

describe('kernel: %cluster slurm arguments (Slurm)', () => {
  it('turns the flags into slurmCluster options', () => {
    assert.equal(
      rewrite('%cluster slurm --nodes 2 --procs 4 --partition gpu --time 1:00:00 --advertise 10.1.2.3 --ready-timeout 60'),
      'void (await sgKernel.cluster({"action":"slurm","slurm":{"nodes":2,"procsPerNode":4,"partition":"gpu","time":"1:00:00","advertise":"10.1.2.3"},"options":{"readyTimeoutMs":60000}}, { show: true }));',
    );
    assert.match(rewrite('%cluster slurm --nodes 1 --dry-run'), /"slurm":\{"nodes":1,"dryRun":true\}/);
  });

  it('says what is missing or misplaced', () => {
    assert.match(failure('%cluster slurm').message, /needs --nodes N/);
    assert.match(failure('%cluster slurm --nodes 0').message, /--nodes must be a whole number ≥ 1/);
    assert.match(failure('%cluster slurm --nodes 1 node7').message, /unexpected 'node7'/);
    assert.match(failure('%cluster local 2 --partition gpu').message, /--partition is for %cluster slurm/);
  });

  it('completes the subcommand and its flags', () => {
    const complete = (code: string) => completion.completeMagic(code, code.length, { functions: () => [], handles: () => [] });
    assert.deepEqual(complete('%cluster sl')?.matches, ['slurm']);
    assert.deepEqual(complete('%cluster slurm --nodes 2 --par')?.matches, ['--partition']);
  });
});

describe('kernel: %cluster slurm through a real Jupyter server on a real Slurm', function () {
  this.timeout(120_000);
  let home: string;
  let slurm: TestSlurm;
  let server: JupyterServer;
  let kernel: TestKernel;
  const saved: Record<string, string | undefined> = {};
  const ok = (code: string, timeoutMs?: number) => okCell(kernel, code, timeoutMs);

  before(async function () {
    this.timeout(600_000);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-kernel-slurm-'));
    // The kernel inherits these (through the Jupyter server): the user's key and job output stay private to the test.
    for (const [name, dir] of [['XDG_CONFIG_HOME', 'config'], ['XDG_CACHE_HOME', 'cache']] as const) {
      saved[name] = process.env[name];
      process.env[name] = path.join(home, dir);
    }
    slurm = await startSlurm();
    server = await startJupyterServer({ rootDir: home });
    kernel = await TestKernel.start(server);
  });

  after(async function () {
    this.timeout(60_000);
    if (kernel) await kernel.execute('%cluster die', 20_000).catch(() => undefined);
    await kernel?.shutdown();
    await server?.stop();
    await slurm?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('--dry-run shows the job script and submits nothing', async () => {
    const r = await ok('%cluster slurm --nodes 1 --procs 2 --time 30 --dry-run');
    assert.match(resultText(r), /^#SBATCH --cpus-per-task=2$/m);
    assert.match(resultText(r), /--walltime \$\(\(1800 - SECONDS\)\)/);
    assert.deepEqual(queuedJobs(), []);
  });

  it('starts two sg-worker jobs, runs the seed\'s histograms on them, and %cluster die cancels the jobs', async () => {
    const r = await ok('%cluster slurm --nodes 2 --procs 1 --advertise 127.0.0.1 --ready-timeout 30', 60_000);
    assert.match(resultText(r), /Slurm cluster: 2 servers, 2 executors ready/);
    assert.equal(queuedJobs().length, 2);
    await ok('const h = %scatter histogram Array.from({ length: 100 }, () => [[1000, { bins: 10 }]])');
    await ok('%gather h --wait', 60_000);
    const check = await ok('const rs = (await sg.waitForResult(h)) as Array<{ counts: number[] }>;\nconsole.log(rs.length, rs.every((x) => x.counts.length === 10 && x.counts.reduce((a, b) => a + b, 0) === 1000))');
    assert.match(check.stdout, /^100 true$/m);
    await ok('%cluster die', 60_000);
    assert.deepEqual(queuedJobs(), []);
    await waitUntil(() => jobProcesses(slurm).length === 0, 5000, 'the jobs\' workers and executors to exit');
  });
});
