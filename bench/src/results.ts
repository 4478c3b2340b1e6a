import type { SoakReport } from './soak/soak.js';
import type { FigureSpec, MetricRef } from './figures.js';
import type { MachineFacts } from './machine.js';
import type { CaseOutcome } from './runner.js';
import { summarize, type Summary } from './stats.js';

export interface MeasuredMetric extends MetricRef {
  samples: number[];
  summary: Summary;
  error?: string;
}

export interface FigureResult extends Omit<FigureSpec, 'ours' | 'baselines'> {
  ours: MeasuredMetric;
  baselines: MeasuredMetric[];
}

/** Everything one bench run found; written as bench/results/latest.json. */
export interface BenchResults {
  command: string;
  startedAt: string;
  durationS: number;
  runs: number;
  machine: MachineFacts;
  params: Record<string, number | string>;
  figures: FigureResult[];
  /** Processes that outlived their close and had to be SIGKILLed: should be empty. */
  killedLeftovers: number[];
  /** The closing soak under executor kills, when it ran. */
  soak?: SoakReport;
  ok: boolean;
}

/** Pairs each figure's metric references with the samples the runner collected. */
export function collectFigures(specs: readonly FigureSpec[], outcomes: readonly CaseOutcome[]): FigureResult[] {
  const byKey = new Map(outcomes.map((o) => [o.key, o]));
  const measure = (ref: MetricRef): MeasuredMetric => {
    const outcome = byKey.get(ref.key);
    const samples = outcome?.samples[ref.metric] ?? [];
    const measured: MeasuredMetric = { ...ref, samples, summary: summarize(samples) };
    const error = outcome === undefined ? 'not run' : outcome.error;
    if (error !== undefined) measured.error = error;
    return measured;
  };
  return specs.map((spec) => ({ ...spec, ours: measure(spec.ours), baselines: spec.baselines.map(measure) }));
}
