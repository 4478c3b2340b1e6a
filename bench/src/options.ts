import { resolve } from 'node:path';

export interface BenchOptions {
  runs: number;
  out: string;
  /** The whole bench is stopped (exit 3) past this. */
  deadlineMs: number;
  /** Tasks in the soak at the end (0: no soak). */
  soakTasks: number;
  /** Run the scale figures instead of the table. */
  scale: boolean;
}

export const USAGE = `usage: npm run bench [-- --runs N] [--out FILE] [--soak N] [--scale]

Measures scattergather against raw ZeroMQ baselines on this machine and prints
a table of medians; writes the numbers as JSON.

  --runs N     measured runs per figure, after one unmeasured warm-up (default 9: the median of
               9 holds up better than of 5 on two cores shared with other work)
  --out FILE   where the JSON goes (default bench/results/latest.json)
  --soak N     tasks in the closing soak, run while an executor is killed every second
               (default 200000; 0 skips it)
  --scale      instead of the table: one controller driving 100 simulated servers of 20 executors
               (100,000 × 100 ms tasks), then 1,000,000 no-op tasks queued at once on a local
               cluster; prints one line (JSON to bench/results/scale.json unless --out)
  --help       this text`;

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const options: BenchOptions = { runs: 9, out: '', deadlineMs: 12 * 60_000, soakTasks: 200_000, scale: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n\n${USAGE}`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--runs') {
      const runs = Number(value());
      if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs takes a whole number from 1 to 50\n\n${USAGE}`);
      options.runs = runs;
    } else if (arg === '--out') options.out = resolve(value());
    else if (arg === '--soak') {
      const tasks = Number(value());
      if (!Number.isInteger(tasks) || tasks < 0) throw new Error(`--soak takes a whole number ≥ 0\n\n${USAGE}`);
      options.soakTasks = tasks;
    }
    else if (arg === '--scale') options.scale = true;
    else throw new Error(`unknown option ${String(arg)}\n\n${USAGE}`);
  }
  if (options.out === '') options.out = resolve(__dirname, '..', 'results', options.scale ? 'scale.json' : 'latest.json');
  return options;
}

/** The command as the user typed it, near enough: `npm run bench` when npm ran us. */
export function commandLine(argv: readonly string[]): string {
  const extra = argv.length > 0 ? ` ${argv.join(' ')}` : '';
  return process.env['npm_lifecycle_event'] === 'bench' ? `npm run bench${extra === '' ? '' : ` --${extra}`}` : `node bench/dist/run-bench.js${extra}`;
}
