import { sshCluster, type SshClusterOptions, type SshHost } from '@scattergather/kernel-ext';

/**
 * A client of its own for the SSH launcher's tests, run where the test needs it (inside a network
 * namespace, or as a process to kill). argv: one JSON object { hosts, options, histograms?, hold? }.
 * Prints one JSON line per step: { ready, servers } once started, { histograms } when asked,
 * then { closed } — or { error, code, ms } if sshCluster rejects. With `hold` it waits to be killed,
 * and answers SIGINT (a Ctrl-C to its process group) with { interrupted } instead of exiting.
 */
interface Job {
  hosts: Array<string | SshHost>;
  options: SshClusterOptions;
  histograms?: boolean;
  hold?: boolean;
}

const say = (line: object): void => { process.stdout.write(`${JSON.stringify(line)}\n`); };

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const t0 = Date.now();
  const c = await sshCluster(job.hosts, job.options).catch((error: Error & { code?: string }) => {
    say({ error: error.message, code: error.code, ms: Date.now() - t0 });
    process.exit(1);
  });
  const status = await c.status();
  say({ ready: await c.ready(), servers: status.servers.map((s) => s.url) });
  if (job.histograms === true) {
    // The seed's histogram workbook: 100 draws of 1000 samples, 10 bins each.
    const set = Array.from({ length: 100 }, () => [[1000, { bins: 10 }]] as [unknown[]]);
    const results = await c.waitForResult(c.addJob(set, { fn: 'histogram' }), { timeoutMs: 60_000 });
    const sums = results.map((r) => (r as { counts: number[] }).counts.reduce((a, b) => a + b, 0));
    say({ histograms: { count: results.length, sums: [...new Set(sums)], bins: [...new Set(results.map((r) => (r as { counts: number[] }).counts.length))] } });
  }
  if (job.hold === true) {
    process.on('SIGINT', () => say({ interrupted: true }));
    return void setInterval(() => undefined, 60_000);
  }
  await c.close();
  say({ closed: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`ssh client: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
