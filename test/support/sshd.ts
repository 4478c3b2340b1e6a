import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isAlive, processesMatching, ROOT, SG_WORKER, stopProcess, waitUntil } from './processes';

interface HostEntry {
  hostName: string;
  port: number;
  identity: string;
}

/**
 * Private OpenSSH servers for the SSH launcher's tests: keys made here, each
 * sshd on its own address (optionally inside a network namespace), and one ssh
 * config file naming them by alias. Tests pass `sshArgs` (`-F config`) to ssh;
 * the user's own ~/.ssh is never read. Logs in as the current user (root in CI).
 */
export class TestSsh {
  readonly dir = mkdtempSync(join(tmpdir(), 'sg-ssh-'));
  readonly configFile = join(this.dir, 'ssh_config');
  /** The client key every sshd here accepts, and one none of them accepts. */
  readonly clientKey = join(this.dir, 'client_key');
  readonly strangerKey = join(this.dir, 'stranger_key');
  private readonly hostKey = join(this.dir, 'host_key');
  private readonly hosts = new Map<string, HostEntry>();
  private readonly daemons: ChildProcess[] = [];

  constructor() {
    // Installs openssh-server on a fresh machine (as `npm test` does for Jupyter).
    execFileSync('sh', [join(ROOT, 'scripts', 'ensure-sshd.sh')], { stdio: 'inherit', timeout: 300_000 });
    for (const key of [this.clientKey, this.strangerKey, this.hostKey]) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'scattergather-test', '-f', key], { timeout: 10_000 });
    }
    writeFileSync(join(this.dir, 'authorized_keys'), readFileSync(`${this.clientKey}.pub`));
    // sshd's privilege separation directory; Debian's package makes it only at boot.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    this.writeConfig();
  }

  /** `ssh` arguments that make it use this test's config (and nothing from ~/.ssh). */
  get sshArgs(): string[] {
    return ['-F', this.configFile];
  }

  /** Starts an sshd on `address` (a free port on loopback, or port 22 in a namespace) and names it `alias`. */
  async startDaemon(alias: string, where: { address: string; namespace?: string } = { address: '127.0.0.1' }): Promise<number> {
    const port = where.namespace === undefined ? await freePort() : 22;
    const config = join(this.dir, `sshd_config.${alias}`);
    writeFileSync(config, [
      `Port ${port}`, `ListenAddress ${where.address}`, `HostKey ${this.hostKey}`,
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`, 'StrictModes no', 'PermitRootLogin prohibit-password',
      'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM yes', `PidFile ${join(this.dir, `sshd.${alias}.pid`)}`,
      '',
    ].join('\n'));
    const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', config];
    const argv = where.namespace === undefined ? sshd : ['ip', 'netns', 'exec', where.namespace, ...sshd];
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.daemons.push(child);
    await listening(child, alias);
    this.addAlias(alias, { hostName: where.address, port, identity: this.clientKey });
    return port;
  }

  /** Another name for a host in the config, e.g. one that logs in with a key the server refuses. */
  addAlias(alias: string, entry: HostEntry): void {
    this.hosts.set(alias, entry);
    this.writeConfig();
  }

  host(alias: string): HostEntry {
    const entry = this.hosts.get(alias);
    if (entry === undefined) throw new Error(`no test ssh host ${alias}`);
    return entry;
  }

  /** The ssh processes run with this config: the launcher's sessions. */
  sessions(): number[] {
    return processesMatching(this.configFile).filter((pid) => argvOf(pid)[0] === 'ssh');
  }

  /** Waits (bounded) until no ssh session of this config, no launcher-started sg-worker and none of `executors` runs. */
  async waitForNothingLeft(what: string, executors: number[] = [], timeoutMs = 5000): Promise<void> {
    const left = (): number[] => [...this.sessions(), ...sshStartedWorkers(), ...executors.filter(isAlive)];
    await waitUntil(() => left().length === 0, timeoutMs, `${what}: no ssh, sg-worker or executor left`)
      .catch((error: Error) => { throw new Error(`${error.message}; still running: ${left().map((pid) => `${pid} ${argvOf(pid).join(' ')}`).join('; ')}`); });
  }

  async stop(): Promise<void> {
    await Promise.all(this.daemons.map((d) => stopProcess(d, 'SIGTERM')));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private writeConfig(): void {
    // Identities sit in each Host block: IdentityFile lines add up, so a `Host *` one would give every alias the good key.
    const blocks = [...this.hosts].map(([alias, { hostName, port, identity }]) =>
      `Host ${alias}\n  HostName ${hostName}\n  Port ${port}\n  User ${process.env['USER'] ?? 'root'}\n  IdentityFile ${identity}\n`);
    const defaults = 'Host *\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  LogLevel ERROR\n  ConnectTimeout 5\n';
    writeFileSync(this.configFile, [...blocks, defaults].join('\n'));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once sshd says it listens (bounded); rejects with what it said otherwise. */
function listening(sshd: ChildProcess, alias: string): Promise<void> {
  let said = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd for ${alias} did not start in 10 s: ${said}`)), 10_000);
    sshd.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sshd for ${alias} exited ${String(code)}: ${said}`)); });
    createInterface({ input: sshd.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      said += `${line}\n`;
      if (!line.startsWith('Server listening on')) return;
      clearTimeout(timer);
      sshd.removeAllListeners('exit');
      resolve();
    });
  });
}

export function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/**
 * This checkout's sg-worker processes that an ssh launcher started: the only ones given --key-stdin.
 * Started through the package's bin shim or its build, by a path that may pass through
 * node_modules/@scattergather (a symlink).
 */
export function sshStartedWorkers(): number[] {
  const ours = [SG_WORKER, join(ROOT, 'worker-server', 'bin', 'sg-worker.js')].map((path) => realpathSync(path));
  return processesMatching('sg-worker.js').filter((pid) => {
    const argv = argvOf(pid);
    try {
      return argv.includes('--key-stdin') && ours.includes(realpathSync(argv[1] ?? ''));
    } catch {
      return false;
    }
  });
}
