import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeKeyFile } from '@scattergather/protocol';
import { TestNetwork } from '../support/network-namespaces';
import { SG_WORKER, stopProcess } from '../support/processes';

/**
 * Worker servers on test hosts in network namespaces (as root, which CI is), with
 * a cluster key: a set crosses real links, and cutting one link mid-set loses nothing.
 */
describe('a cluster across network namespaces, with a cluster key', function () {
  this.timeout(90_000);
  let network: TestNetwork | undefined;
  let dir: string;
  const processes: ChildProcess[] = [];

  before(function () {
    if (process.getuid?.() !== 0) throw new Error('this test creates network namespaces and must run as root (CI does)');
    dir = mkdtempSync(join(tmpdir(), 'sg-netns-'));
    network = new TestNetwork(2);
  });

  after(async () => {
    await Promise.all(processes.map((p) => stopProcess(p, 'SIGKILL')));
    network?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  function inNamespace(ns: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    processes.push(child);
    return child;
  }

  function firstLine(child: ChildProcess, what: string): Promise<string> {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no output in 30 s. ${stderr}`)), 30_000);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited ${String(code)}: ${stderr}`)); });
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => { clearTimeout(timer); resolve(line); });
    });
  }

  it('runs a set over two namespaced servers and loses nothing when a link is cut mid-set', async () => {
    const keyFile = join(dir, 'cluster.key');
    writeKeyFile(keyFile);
    const urls = await Promise.all(network!.servers.map(async ({ ns, address }) => {
      const server = inNamespace(ns, [SG_WORKER, '--bind', `tcp://${address}:5555`, '--procs', '2', '--key-file', keyFile]);
      const line = await firstLine(server, `sg-worker in ${ns}`);
      assert.match(line, new RegExp(`^sg-worker listening on tcp://${address.replace(/\./g, '\\.')}:5555 with 2 executors$`));
      return `tcp://${address}:5555`;
    }));

    const client = inNamespace(network!.client, [join(__dirname, '..', 'support', 'netns-client.js'), keyFile, ...urls]);
    const lines = createInterface({ input: client.stdout as NodeJS.ReadableStream });
    let stderr = '';
    client.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const output = new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      const timer = setTimeout(() => reject(new Error(`the client did not finish in 60 s: ${stderr}`)), 60_000);
      lines.on('line', (line) => {
        seen.push(line);
        if (line === 'started') setTimeout(() => network!.cut(0), 300);
        if (line.startsWith('{')) { clearTimeout(timer); resolve(seen); }
      });
      client.once('exit', (code) => { if (code !== 0) { clearTimeout(timer); reject(new Error(`the client failed: ${stderr}`)); } });
    });
    const seen = await output;
    const report = JSON.parse(seen.at(-1) as string) as { results: unknown[]; deliveries: number[]; alive: boolean[] };
    assert.deepEqual(report.results, Array.from({ length: 40 }, (_, i) => i), 'every task gave its own result');
    assert.deepEqual(report.deliveries, new Array(40).fill(1), 'each exactly once');
    assert.deepEqual(report.alive, [false, true], 'the cut-off server is seen as lost');
  });
});
