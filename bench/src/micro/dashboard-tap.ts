/**
 * `node bench/dist/micro/dashboard-tap.js [ROUNDS]`: what the dashboard costs the
 * client per result, in one process: batches of 100 results (two executors, one
 * set) through the feed as the client hands them over. Prints ns per result.
 */
import * as path from 'node:path';
import type { ClientResultItem } from '@scattergather/protocol';
import type { ResultTap } from '../../../kernel-ext/src/dashboard/dashboard-source.js';
import { summarize } from '../stats.js';
import { nowMs } from '../timing.js';

// The feed is internal to kernel-ext (not in its exports map): loaded from its build, as the tests do.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DashboardFeed } = require(path.resolve(__dirname, '..', '..', '..', 'kernel-ext', 'dist', 'dashboard', 'dashboard-feed.js')) as typeof import('../../../kernel-ext/src/dashboard/dashboard-feed.js');

const BATCH = 100;
const BATCHES = 1000;

let tap: ResultTap = () => undefined;
new DashboardFeed({
  status: () => Promise.reject(new Error('not asked here')),
  sets: () => [],
  progress: () => { throw new Error('not asked here'); },
  modules: () => [],
  tapResults: (t) => {
    tap = t;
    return () => undefined;
  },
});
const batches: ClientResultItem[][] = Array.from({ length: BATCHES }, (_, b) =>
  Array.from({ length: BATCH }, (_, i): ClientResultItem => [1, b * BATCH + i, true, undefined as never, 0, 100 + (i % 2), '', 0.01]));
const serverUrl = (): string => 'tcp://127.0.0.1:5555';

function nsPerResult(): number {
  const started = nowMs();
  for (const items of batches) tap(items, serverUrl);
  return ((nowMs() - started) * 1e6) / (BATCH * BATCHES);
}

const rounds = Number(process.argv[2] ?? 30);
for (let i = 0; i < 5; i++) nsPerResult();
const s = summarize(Array.from({ length: rounds }, nsPerResult));
console.log(`dashboard feed, per result: median ${s.median.toFixed(1)} ns, min ${s.min.toFixed(1)} ns, max ${s.max.toFixed(1)} ns (${rounds} rounds × ${BATCH * BATCHES} results)`);
