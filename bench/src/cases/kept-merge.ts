import type { Histogram, ScatterGather, ScatterSet, SetHandle } from '@scattergather/kernel-ext';
import type { BenchCase } from '../bench-case.js';
import type { FigureSpec, MetricRef } from '../figures.js';
import { nowMs } from '../timing.js';

/** Bins per histogram: large enough that the histograms, not the messages about them, are what moves. */
const BINS = 10_000;

const mergeCounts = (...hs: Histogram[]): number[] => {
  const sum = new Array<number>(hs[0]?.counts.length ?? 0).fill(0);
  for (const h of hs) h.counts.forEach((n, i) => { sum[i] = (sum[i] ?? 0) + n; });
  return sum;
};

/**
 * `tasks` histograms merged by one task, two ways: kept on the servers and
 * passed to the merge as references (`ours.mergeKept`), or shipped through the
 * client and out again as the merge's arguments (`ours.mergeShipped`). Wall
 * time in ms and the bytes the client received.
 */
export function keptMerge(sg: ScatterGather, options: { tasks: number; size: number; timeoutMs: number }): BenchCase[] {
  const set: ScatterSet = Array.from({ length: options.tasks }, () => [[options.size, { distribution: 'uniform', bins: BINS }]]);

  // The bench's client lives long: each case drops its sets so that the next one meets a small heap.
  const forgetAll = (...handles: SetHandle[]): void => handles.forEach((h) => sg.forget(h));

  async function merged(keep: boolean): Promise<number[]> {
    if (keep) {
      const h = sg.addJob(set, { fn: 'histogram', keep: true });
      const merge = sg.addJob([[h.refs()]], { fn: mergeCounts });
      const [sum] = await sg.waitForResult(merge, { timeoutMs: options.timeoutMs });
      await sg.release(h);
      forgetAll(h, merge);
      return sum as number[];
    }
    const h = sg.addJob(set, { fn: 'histogram' });
    const histograms = await sg.waitForResult(h, { timeoutMs: options.timeoutMs });
    const merge = sg.addJob([[histograms as Histogram[]]], { fn: mergeCounts });
    const [sum] = await sg.waitForResult(merge, { timeoutMs: options.timeoutMs });
    forgetAll(h, merge);
    return sum as number[];
  }

  const caseOf = (key: string, keep: boolean): BenchCase => {
    const once = async (): Promise<Record<string, number>> => {
      const received = sg.bytesReceived;
      const started = nowMs();
      const sum = await merged(keep);
      const wallMs = nowMs() - started;
      const samples = Array.isArray(sum) ? sum.reduce((a, b) => a + b, 0) : NaN;
      if (samples !== options.tasks * options.size) throw new Error(`${key}: the merge counted ${samples} samples, not ${options.tasks * options.size}: ${String(sum).slice(0, 200)}`);
      return { wallMs, clientMiB: (sg.bytesReceived - received) / 2 ** 20 };
    };
    return { key, setup: async () => void (await once()), run: once, close: async () => undefined };
  };
  return [caseOf('ours.mergeKept', true), caseOf('ours.mergeShipped', false)];
}

/** Figure 6: the merge by reference beside shipping every histogram through the client, in time and in bytes the client received. */
export function keptMergeFigures(p: { histogramTasks: number; histogramSize: number }): FigureSpec[] {
  const what = `${p.histogramTasks} × histogram(${p.histogramSize}, uniform, bins ${BINS.toLocaleString('en-US')}) merged by one task`;
  const shipped = (metric: string): MetricRef => ({ key: 'ours.mergeShipped', metric, label: 'every histogram shipped through the client and out again' });
  return [
    {
      id: 'mergeKeptWall', title: `6a. ${what}, wall time`, unit: 'ms', better: 'lower',
      ours: { key: 'ours.mergeKept', metric: 'wallMs', label: 'kept, merged by reference' }, baselines: [shipped('wallMs')],
    },
    {
      id: 'mergeKeptBytes', title: `6b. ${what}, bytes the client received`, unit: 'MiB', better: 'lower',
      ours: { key: 'ours.mergeKept', metric: 'clientMiB', label: 'kept, merged by reference' }, baselines: [shipped('clientMiB')],
    },
  ];
}
