import type { BenchCase } from './bench-case.js';
import { withTimeout } from './timing.js';

export interface CaseOutcome {
  key: string;
  /** Every measured run's value, by metric name, in run order. */
  samples: Record<string, number[]>;
  /** Why the case stopped early, if it did; the runs before it still count. */
  error?: string;
}

export interface RunnerOptions {
  runs: number;
  setupTimeoutMs: number;
  runTimeoutMs: number;
  log: (line: string) => void;
}

/**
 * Sets every case up, then runs them in rounds, each round one run of every
 * case in turn, so that a change in the machine's load (other processes share
 * these two cores) touches ours and the baselines alike instead of whichever
 * happened to run then. A case that fails or overruns is dropped from later
 * rounds: its pending socket operations may still be outstanding.
 */
export async function runInterleaved(cases: readonly BenchCase[], options: RunnerOptions): Promise<CaseOutcome[]> {
  const outcomes = cases.map((c): CaseOutcome => ({ key: c.key, samples: {} }));
  const fail = (i: number, stage: string, error: unknown): void => {
    const outcome = outcomes[i] as CaseOutcome;
    outcome.error = `${stage}: ${error instanceof Error ? error.message : String(error)}`;
    options.log(`  ${outcome.key} failed in ${outcome.error}`);
  };

  for (const [i, c] of cases.entries()) {
    options.log(`  setting up ${c.key} (unmeasured warm-up)`);
    try {
      await withTimeout(c.setup(), options.setupTimeoutMs, `${c.key} setup`);
    } catch (error) {
      fail(i, 'setup', error);
    }
  }

  for (let round = 1; round <= options.runs; round++) {
    options.log(`  round ${round}/${options.runs}`);
    for (const [i, c] of cases.entries()) {
      const outcome = outcomes[i] as CaseOutcome;
      if (outcome.error !== undefined) continue;
      try {
        const metrics = await withTimeout(c.run(), options.runTimeoutMs, `${c.key} run ${round}`);
        for (const [name, value] of Object.entries(metrics)) (outcome.samples[name] ??= []).push(value);
      } catch (error) {
        fail(i, `run ${round}`, error);
      }
    }
  }

  for (const [i, c] of cases.entries()) {
    try {
      await withTimeout(c.close(), 10_000, `${c.key} close`);
    } catch (error) {
      options.log(`  ${(outcomes[i] as CaseOutcome).key}: close failed: ${(error as Error).message}`);
    }
  }
  return outcomes;
}
