import { spawnScatterGather } from '@scattergather/kernel-ext';

/**
 * A client for the network-namespace test; it runs inside the client namespace.
 * argv: KEY_FILE URL... Prints "started" once its set is queued, then one JSON
 * line: the results and how many times each task was delivered.
 */
async function main(): Promise<void> {
  const [keyFile, ...urls] = process.argv.slice(2);
  const c = await spawnScatterGather(urls, { keyFile, heartbeatMs: 200, retries: 3 });
  try {
    await c.ready({ timeoutMs: 15_000 });
    const h = c.addJob(Array.from({ length: 40 }, (_, i) => [[i]]), { fn: async (i: number) => { await new Promise((r) => setTimeout(r, 150)); return i; } });
    process.stdout.write('started\n');
    const results = await c.waitForResult(h, { timeoutMs: 40_000 });
    const deliveries = new Array<number>(40).fill(0);
    for (const r of c.poll().results) if (r.set === h.id) deliveries[r.index] = (deliveries[r.index] ?? 0) + 1;
    const status = await c.status();
    process.stdout.write(`${JSON.stringify({ results: results.map((r) => (r instanceof Error ? `${r.name}: ${r.message}` : r)), deliveries, alive: status.servers.map((s) => s.alive) })}\n`);
  } finally {
    await c.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`netns client: ${(error as Error).message}\n`);
  process.exit(1);
});
