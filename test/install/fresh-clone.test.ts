import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnScatterGather, type ScatterGather } from '@scattergather/kernel-ext';
import { childrenOf, killAll, ROOT, runCommand, startWorker, type CommandResult } from '../support/processes';

const COMMANDS = [
  { name: 'sg-worker', pkg: 'worker-server' },
  { name: 'sg-controller', pkg: 'controller' },
  { name: 'sg-kernel', pkg: 'kernel-ext' },
];

/** This environment without what `npm test` sets for its scripts: each npm below runs as a user's shell would run it. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return { ...env, ...extra };
}

function assertSucceeded(result: CommandResult, what: string): void {
  assert.equal(result.code, 0, `${what} exited ${String(result.code)}: ${result.stderr.slice(-3000)}`);
}

// The committed HEAD is what is cloned: commit a change before this suite can see it.
describe('install: commands from a fresh clone, and the worker-only install', function () {
  this.timeout(120_000);
  let work: string;
  let clone: string;
  let client: ScatterGather | undefined;

  before(async function () {
    this.timeout(480_000); // clone, npm ci and the whole build, on a machine others are building on too
    work = mkdtempSync(join(tmpdir(), 'sg-install-'));
    clone = join(work, 'clone');
    const head = (await runCommand('git', ['-C', ROOT, 'rev-parse', 'HEAD'])).stdout.trim();
    assertSucceeded(await runCommand('git', ['clone', '--quiet', '--no-checkout', ROOT, clone]), 'git clone');
    assertSucceeded(await runCommand('git', ['-C', clone, 'checkout', '--quiet', head]), 'git checkout');
    const ci = await runCommand('npm', ['ci', '--prefer-offline'], { cwd: clone, env: userEnv(), timeoutMs: 450_000 });
    assertSucceeded(ci, 'npm ci in the fresh clone');
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await killAll();
  });

  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('links every command at npm ci, and npx --no-install runs each one offline', async () => {
    for (const { name, pkg } of COMMANDS) {
      assert.equal(realpathSync(join(clone, 'node_modules', '.bin', name)), join(clone, pkg, 'bin', `${name}.js`), `${name} is linked to its shim`);
      const help = await runCommand('npx', ['--no-install', name, '--help'], { cwd: clone, env: userEnv({ npm_config_offline: 'true' }) });
      assertSucceeded(help, `npx --no-install ${name} --help`);
      assert.match(help.stdout, new RegExp(`^Usage: ${name} \\[options\\]`), `${name} prints its own usage`);
    }
  });

  it('npx sg-kernel install writes the kernelspec into a prefix, pointing at the clone', async () => {
    const prefix = join(work, 'jupyter');
    const install = await runCommand('npx', ['--no-install', 'sg-kernel', 'install', '--prefix', prefix], { cwd: clone, env: userEnv({ npm_config_offline: 'true' }) });
    assertSucceeded(install, 'npx sg-kernel install --prefix');
    const spec = JSON.parse(readFileSync(join(prefix, 'share', 'jupyter', 'kernels', 'scattergather', 'kernel.json'), 'utf8')) as { argv: string[]; display_name: string };
    assert.equal(spec.display_name, 'TypeScript (scatter/gather)');
    assert.equal(spec.argv[1], join(clone, 'kernel-ext', 'dist', 'bin', 'sg-kernel.js'));
    assert.ok(existsSync(spec.argv[1] as string), 'the kernel script it names exists');
  });

  it('npm run pack:worker makes one tarball; installed into an empty prefix, its sg-worker runs and serves with no checkout', async () => {
    const packed = await runCommand('npm', ['run', '--silent', 'pack:worker'], { cwd: clone, env: userEnv(), timeoutMs: 180_000 });
    assertSucceeded(packed, 'npm run pack:worker');
    const tarball = packed.stdout.trim().split('\n').pop() as string;
    assert.equal(tarball, join(clone, 'dist-pack', 'scattergather-worker-server-0.1.0.tgz'));
    const listing = (await runCommand('tar', ['-tzf', tarball])).stdout.split('\n');
    for (const file of ['package/bin/sg-worker.js', 'package/dist/bin/sg-worker.js', 'package/node_modules/@scattergather/protocol/dist/index.js']) {
      assert.ok(listing.includes(file), `the tarball holds ${file}`);
    }

    // An empty prefix and a working directory outside any checkout: only Node, npm and the tarball.
    const prefix = join(work, 'prefix');
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    const install = await runCommand('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], { cwd: elsewhere, env: userEnv(), timeoutMs: 180_000 });
    assertSucceeded(install, 'npm install -g --prefix of the tarball');
    const sgWorker = join(prefix, 'bin', 'sg-worker');
    assert.equal(realpathSync(sgWorker), join(prefix, 'lib', 'node_modules', '@scattergather', 'worker-server', 'bin', 'sg-worker.js'));
    const help = await runCommand(sgWorker, ['--help'], { cwd: elsewhere, env: userEnv() });
    assertSucceeded(help, 'the installed sg-worker --help');
    assert.match(help.stdout, /^Usage: sg-worker \[options\]/);
    const npx = await runCommand('npx', ['--no-install', 'sg-worker', '--help'], { cwd: elsewhere, env: userEnv({ npm_config_prefix: prefix, npm_config_offline: 'true' }) });
    assertSucceeded(npx, 'npx --no-install sg-worker --help with the install prefix');
    assert.match(npx.stdout, /^Usage: sg-worker \[options\]/);

    const keyFile = join(work, 'cluster.key');
    assertSucceeded(await runCommand(sgWorker, ['keygen', keyFile], { cwd: elsewhere, env: userEnv() }), 'the installed sg-worker keygen');
    const worker = await startWorker(1, ['--key-file', keyFile], undefined, { bin: sgWorker, cwd: elsewhere });
    const [executor] = childrenOf(worker.child.pid as number);
    assert.ok(executor !== undefined, 'the installed sg-worker forked an executor');
    assert.ok(readFileSync(`/proc/${executor}/cmdline`, 'utf8').includes(prefix), 'the executor runs from the installed package');

    client = await spawnScatterGather([worker.url], { keyFile });
    assert.deepEqual(await client.ready(), { servers: 1, executors: 1 });
    const [pid] = await client.waitForResult(client.addJob([[[]]], { fn: 'pid' }));
    assert.equal(pid, executor, 'the task ran on the installed sg-worker\'s executor');
  });
});
