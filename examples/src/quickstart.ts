/**
 * `npm run demo`: the seed's histogram workbook as a terminal program, on an
 * embedded local cluster. Every step is the public client API.
 */
import { availableParallelism } from 'node:os';
import { SingleBar, Presets } from 'cli-progress';
import { localCluster, RemoteError } from '@scattergather/kernel-ext';
import { drawHistogram, poolHistograms, type Histogram } from './text-histogram.js';

async function main(): Promise<void> {
  console.log('Starting a local cluster on 127.0.0.1 …');
  const sg = await localCluster({ servers: 2, procs: Math.max(2, availableParallelism()) });
  try {
    const { servers, executors } = await sg.ready();
    console.log(`Ready: ${servers} worker servers, ${executors} executors.\n`);

    const set = Array.from({ length: 100 }, () => [[1000, { distribution: 'normal', loc: 1, scale: 1, bins: 10 }]]);
    const started = Date.now();
    const h = sg.addJob(set, { fn: 'histogram' });
    console.log(`Queued set ${h.id}: ${h.size} × histogram(1000, { distribution: 'normal', loc: 1, scale: 1, bins: 10 })`);

    // Poll without blocking, as a notebook user keeps working while a set runs.
    const bar = new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} tasks | {failed} failed | {eta_formatted} left', stream: process.stdout, noTTYOutput: true, notTTYSchedule: 200 }, Presets.shades_classic);
    bar.start(h.size, 0, { failed: 0 });
    let arrived = 0;
    let failed = 0;
    while (arrived < h.size) {
      const { results } = sg.poll();
      arrived += results.length;
      failed += results.filter((r) => !r.ok).length;
      bar.update(arrived, { failed });
      if (arrived < h.size) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    bar.stop();

    const results = await sg.waitForResult(h);
    console.log(`\nAll ${results.length} results in ${Date.now() - started} ms. The first five:`);
    for (const [i, r] of results.slice(0, 5).entries()) {
      console.log(r instanceof RemoteError ? `  [${i}] ${r.toString()}` : `  [${i}] counts ${JSON.stringify(r.counts)}  range ${r.edges[0]?.toFixed(2)} … ${r.edges.at(-1)?.toFixed(2)}`);
    }

    const good = results.filter((r): r is Histogram => !(r instanceof RemoteError));
    console.log(`\nPooled histogram of ${good.length * 1000} normal(1, 1) samples:`);
    console.log(drawHistogram(poolHistograms(good, 10)));

    const { pids } = await sg.command('refresh');
    console.log(`\nRefreshed: fresh executor processes ${pids.join(', ')}.`);
  } finally {
    await sg.close();
  }
  console.log('Cluster stopped. Bye.');
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
