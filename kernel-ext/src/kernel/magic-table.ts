/**
 * Every magic the kernel knows, as data: usage and help (for errors, Shift-Tab
 * and completion) and how its line becomes a call on the global `sgKernel`.
 * Adding a magic means adding an entry here; nothing else dispatches on names.
 */
import { KernelError } from './errors.js';
import { handleExpression, parseArgs, readFlag, tooMany, type FlagSpec, type FlagValues } from './magic-args.js';
import { parseClusterArgs, CLUSTER_SUBCOMMANDS } from './cluster-args.js';
import { splitWords, type CellMagic, type LineMagic } from './magic-parser.js';
import { findOwn } from './find-own.js';
import { closest } from './suggest.js';
import { checkBins, MAX_BINS } from './histogram-chart.js';

export interface RewriteEnv {
  /** Whether `name` is a function-valued variable of the notebook (sent by value). */
  isLocalFunction(name: string): boolean;
}

export interface CompiledCall {
  /** A TypeScript expression returning a promise, e.g. `sgKernel.peek(3, {show: true})`. */
  call: string;
  /** Where a TypeScript expression taken from the magic sits: its column in the source and its offset in `call`. */
  expr?: { sourceColumn: number; callOffset: number };
}

/** What completion offers after the magic name. */
export type ArgumentKind = 'function' | 'handle' | 'subcommand' | 'none';

export interface MagicSpec {
  usage: string;
  summary: string;
  flags: FlagSpec;
  firstArgument: ArgumentKind;
  cell?: boolean;
  compile(magic: LineMagic, env: RewriteEnv, show: string): CompiledCall;
}

interface Word {
  text: string;
  at: number;
}
/** Words with their offsets; a quoted word (a flag value such as a title) loses its quotes. */
function words(text: string): Word[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\S+/g)].map((m) => ({ text: m[1] ?? m[2] ?? m[0], at: m.index ?? 0 }));
}

/** `NAME [--flags] EXPR`: the leading words, then the rest of the text as a TypeScript expression. */
function leadingFlagsThenExpr(magic: LineMagic, spec: FlagSpec, usage: string, withName: boolean) {
  const ws = words(magic.args);
  let i = 0;
  const name = withName ? ws[i++] : undefined;
  if (withName && !name) throw new KernelError('BAD_ARGUMENTS', `%${magic.name} needs a function name`, { hint: `Usage: ${usage}` });
  const flags: FlagValues = {};
  while (ws[i]?.text.startsWith('--')) i += readFlag(magic.name, spec, ws.map((w) => w.text), i, flags);
  const start = ws[i]?.at;
  if (start === undefined) throw new KernelError('BAD_ARGUMENTS', `%${magic.name} needs an expression`, { hint: `Usage: ${usage}` });
  return { name: name?.text, flags, expr: magic.args.slice(start), exprAt: start };
}

function seconds(v: string | number | boolean | undefined): number | undefined {
  return typeof v === 'number' ? Math.round(v * 1000) : undefined;
}

function withExpr(head: string, expr: string, tail: string, magic: LineMagic, exprAt: number): CompiledCall {
  return { call: head + expr + tail, expr: { sourceColumn: magic.argsColumn + exprAt, callOffset: head.length } };
}

const SCATTER_USAGE = '%scatter FN [--keep] [--timeout S] [--retries N] EXPR';
const GATHER_USAGE = '%gather [HANDLE] [--wait] [--timeout S] [--all]';
const CANCEL_USAGE = '%cancel [HANDLE]';
const FETCH_USAGE = '%fetch [HANDLE] [--all]';
const CHART_USAGE = '%chart [--bins N] [--title TEXT] EXPR';

export const LINE_MAGICS: Readonly<Record<string, MagicSpec>> = {
  cluster: {
    usage: '%cluster local [N] | connect URL[*N] ... | ssh HOST[*N] ... [--procs N] | slurm --nodes N [--procs N] [--partition P] [--time T] | status | refresh | die | dashboard [--inline]',
    summary:
      'Starts or connects the cluster behind the global `sg`, shows its status, re-forks executors (refresh) or stops it (die).\n' +
      '  %cluster local [N] [--servers S]      an embedded cluster on 127.0.0.1 with N executors (default: cores)\n' +
      '  %cluster connect URL[*N] ... [--key-file PATH | --no-key]   running sg-worker servers; *N uses at most N executors of one\n' +
      '                                        (default key: ~/.config/scattergather/cluster.key, as sg-worker\'s)\n' +
      '  %cluster ssh HOST[*N] ... [--procs N]   one sg-worker per host started over ssh (BatchMode); *N or --procs N executors\n' +
      '     --ssh-args "-F FILE ..." extra ssh arguments, --worker-command CMD the remote sg-worker, --advertise HOST its address\n' +
      '  %cluster slurm --nodes N [--procs N] [--partition P] [--time T] [--advertise HOST] [--dry-run]\n' +
      '                                        one sg-worker job per node through sbatch; --dry-run shows the job script\n' +
      '  Options for all of them: --key-file PATH --retries N --timeout S (per task) --heartbeat MS --ready-timeout S --log-file PATH\n' +
      '  %cluster dashboard [--inline]         the URL of a live page of the cluster (sg.dashboard()); --inline shows it here',
    flags: {
      servers: 'number',
      'key-file': 'string',
      'no-key': 'boolean',
      'log-file': 'string',
      retries: 'number',
      timeout: 'number',
      heartbeat: 'number',
      'ready-timeout': 'number',
      procs: 'number',
      'ssh-args': 'string',
      'worker-command': 'string',
      advertise: 'string',
      nodes: 'number',
      partition: 'string',
      time: 'string',
      'dry-run': 'boolean',
      inline: 'boolean',
    },
    firstArgument: 'subcommand',
    compile(magic, _env, show) {
      const spec = parseClusterArgs(magic.name, this.flags, splitWords(magic.args), this.usage);
      return { call: `sgKernel.cluster(${JSON.stringify(spec)}, ${show})` };
    },
  },
  scatter: {
    usage: SCATTER_USAGE,
    summary:
      'Queues the scatter set EXPR (an array of tasks [args, kwargs?]) for the remote function FN, shows a live progress bar and returns the set handle.\n' +
      '  FN: a built-in (histogram, echo, sleep, pid), a function installed with %%remote, or a function variable (sent by value).\n' +
      '  --keep: each result stays on the server that made it; the set\'s refs() pass them to later sets, %fetch brings them back.\n' +
      '  --timeout S: per-task time limit; --retries N: re-runs after a crash.',
    flags: { keep: 'boolean', timeout: 'number', retries: 'number' },
    firstArgument: 'function',
    compile(magic, env, show) {
      const { name, flags, expr, exprAt } = leadingFlagsThenExpr(magic, this.flags, SCATTER_USAGE, true);
      const fn = name ?? '';
      if (!/^[A-Za-z_$][\w$.]*$/.test(fn)) {
        throw new KernelError('BAD_ARGUMENTS', `%scatter: '${fn}' is not a function name`, { hint: `Usage: ${SCATTER_USAGE}` });
      }
      const fnArg = env.isLocalFunction(fn) ? fn : JSON.stringify(fn);
      const options = JSON.stringify({ timeoutMs: seconds(flags['timeout']), retries: flags['retries'], keep: flags['keep'] === true ? true : undefined });
      return withExpr(`sgKernel.scatter(${fnArg}, `, expr, `, ${options}, ${show})`, magic, exprAt);
    },
  },
  gather: {
    usage: GATHER_USAGE,
    summary:
      'Shows set HANDLE (default: the most recent): without --wait what has arrived and what is pending, at once;\n' +
      '  with --wait streams what its tasks print, blocks until it is complete and makes its results (input order) the cell value.\n' +
      '  Shows a summary and the first results (a table when they share a shape); --all shows every result.\n' +
      '  --timeout S gives up waiting after S seconds (implies --wait). Interrupting ends the wait, not the set.',
    flags: { wait: 'boolean', timeout: 'number', all: 'boolean' },
    firstArgument: 'handle',
    compile(magic, _env, show) {
      const { flags, positionals } = parseArgs(magic.name, this.flags, splitWords(magic.args));
      tooMany(magic.name, positionals.slice(1), GATHER_USAGE);
      const handle = handleExpression(magic.name, positionals[0]);
      const all = flags['all'] === true ? true : undefined;
      if (flags['wait'] || flags['timeout'] !== undefined) {
        const options = JSON.stringify({ timeoutMs: seconds(flags['timeout']), all });
        return { call: `sgKernel.gather(${handle}, ${options}, ${show})` };
      }
      return { call: `sgKernel.peek(${handle}, ${JSON.stringify({ all })}, ${show})` };
    },
  },
  cancel: {
    usage: CANCEL_USAGE,
    summary: 'Stops set HANDLE (default: the most recent) at once: queued tasks are dropped, running ones killed; each gets a CancelledError.',
    flags: {},
    firstArgument: 'handle',
    compile(magic, _env, show) {
      const { positionals } = parseArgs(magic.name, this.flags, splitWords(magic.args));
      tooMany(magic.name, positionals.slice(1), CANCEL_USAGE);
      return { call: `sgKernel.cancel(${handleExpression(magic.name, positionals[0])}, ${show})` };
    },
  },
  fetch: {
    usage: FETCH_USAGE,
    summary:
      'Brings the values of kept set HANDLE (default: the most recent; queued with %scatter --keep) back from the servers\n' +
      '  and makes them the cell value, shown as %gather shows results; --all shows every value.',
    flags: { all: 'boolean' },
    firstArgument: 'handle',
    compile(magic, _env, show) {
      const { flags, positionals } = parseArgs(magic.name, this.flags, splitWords(magic.args));
      tooMany(magic.name, positionals.slice(1), FETCH_USAGE);
      const options = JSON.stringify({ all: flags['all'] === true ? true : undefined });
      return { call: `sgKernel.fetch(${handleExpression(magic.name, positionals[0])}, ${options}, ${show})` };
    },
  },
  chart: {
    usage: CHART_USAGE,
    summary:
      'Draws histogram results ({counts, edges}, or an array of them, pooled) as an inline SVG bar chart.\n' +
      `  --bins N re-bins the pooled histogram into N bars (1 to ${MAX_BINS}); --title TEXT names the chart.`,
    flags: { bins: 'number', title: 'string' },
    firstArgument: 'none',
    compile(magic, _env, show) {
      const { flags, expr, exprAt } = leadingFlagsThenExpr(magic, this.flags, CHART_USAGE, false);
      checkBins(flags['bins'] as number | undefined);
      const options = JSON.stringify({ bins: flags['bins'], title: flags['title'] });
      return withExpr('sgKernel.chart(', expr, `, ${options}, ${show})`, magic, exprAt);
    },
  },
};

export const CELL_MAGICS: Readonly<Record<string, { usage: string; summary: string; flags: FlagSpec }>> = {
  remote: {
    usage: '%%remote [--name NAME]',
    summary:
      'The rest of the cell is a TypeScript module made resident on every executor, present and future (install).\n' +
      '  Its exported functions can then be scattered by name: %scatter NAME EXPR.\n' +
      '  Running the cell again replaces its module (named by --name, else by its export names).',
    flags: { name: 'string' },
  },
};

export function compileCellMagic(magic: CellMagic): string {
  const spec = findOwn(CELL_MAGICS, magic.name);
  if (!spec) throw unknownMagic(`%%${magic.name}`);
  const { flags, positionals } = parseArgs(`%${magic.name}`, spec.flags, splitWords(magic.args));
  tooMany(`%${magic.name}`, positionals, spec.usage);
  return `sgKernel.remote(${JSON.stringify(magic.body)}, ${JSON.stringify({ name: flags['name'] })}, `;
}

export function allMagicNames(): string[] {
  return [...Object.keys(LINE_MAGICS).map((n) => '%' + n), ...Object.keys(CELL_MAGICS).map((n) => '%%' + n)];
}

export function unknownMagic(written: string): KernelError {
  const names = allMagicNames();
  const near = closest(written, names);
  return new KernelError('UNKNOWN_MAGIC', `${written} is not a magic of this kernel`, {
    hint: (near ? `Did you mean ${near}? ` : '') + `Magics: ${names.join(' ')}`,
  });
}

export function lineMagic(name: string): MagicSpec {
  const spec = findOwn(LINE_MAGICS, name);
  if (!spec) throw unknownMagic('%' + name);
  return spec;
}

export { CLUSTER_SUBCOMMANDS };
