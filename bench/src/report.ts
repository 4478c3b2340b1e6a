import type { BenchResults, FigureResult, MeasuredMetric } from './results.js';

/** Numbers as people read them: thousands separated, fewer decimals the bigger they are. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * How ours compares with a baseline: for a rate, the share of the baseline we
 * reach ("4.9 %"); for a time, how many times the baseline we take ("7.9×").
 */
function versus(figure: FigureResult, baseline: MeasuredMetric): string {
  const ours = figure.ours.summary.median;
  const base = baseline.summary.median;
  if (!Number.isFinite(ours) || !Number.isFinite(base) || base === 0) return '';
  return figure.better === 'higher' ? `${formatNumber((100 * ours) / base)} % of it` : `${formatNumber(ours / base)}× it`;
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd();
}

function metricCells(figure: FigureResult, metric: MeasuredMetric, isOurs: boolean): string[] {
  const { summary } = metric;
  const label = `   ${metric.label}`;
  if (summary.n === 0) return [label, 'failed', '', '', ''];
  const range = summary.n > 1 ? `${formatNumber(summary.min)} – ${formatNumber(summary.max)}` : '';
  const runs = metric.error === undefined ? String(summary.n) : `${summary.n} (then failed)`;
  return [label, `${formatNumber(summary.median)} ${figure.unit}`, range, runs, isOurs ? '' : versus(figure, metric)];
}

/** The whole report as text: machine facts, then one block per figure, ours first, each baseline under it. */
export function formatReport(results: BenchResults): string {
  const m = results.machine;
  const lines: string[] = [];
  lines.push(`scattergather bench: medians of ${results.runs} runs, ours and raw ZeroMQ baselines interleaved in the same run`);
  lines.push(`command   ${results.command}`);
  lines.push(`machine   ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}`);
  lines.push(`zeromq    ${m.zeromq} (libzmq ${m.libzmq}); all sockets on 127.0.0.1 or ipc://; baselines run between this process and one peer process`);
  lines.push(`commit    ${m.gitCommit}`);
  lines.push(`load      1-min load average ${formatNumber(m.loadAverage.start)} at start, ${formatNumber(m.loadAverage.end ?? Number.NaN)} at end (other work on these cores skews every figure)`);
  lines.push(`params    ${Object.entries(results.params).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  lines.push('');

  const header = ['figure / what was measured', 'median', 'range (min – max)', 'runs', 'ours vs baseline'];
  const body: string[][] = [];
  const titles = new Map<number, string>();
  for (const figure of results.figures) {
    titles.set(body.length, figure.title);
    body.push(metricCells(figure, figure.ours, true));
    for (const baseline of figure.baselines) body.push(metricCells(figure, baseline, false));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] as string).length)));
  lines.push(row(header, widths));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const [i, cells] of body.entries()) {
    const title = titles.get(i);
    if (title !== undefined) {
      if (i > 0) lines.push('');
      lines.push(title);
    }
    lines.push(row(cells, widths));
  }

  const errors = results.figures.flatMap((f) => [f.ours, ...f.baselines]).filter((x) => x.error !== undefined);
  const seen = new Set<string>();
  if (errors.length > 0) {
    lines.push('');
    lines.push('failures:');
    for (const e of errors) {
      const text = `  ${e.key}: ${e.error as string}`;
      if (!seen.has(text)) lines.push(text);
      seen.add(text);
    }
  }
  if (results.killedLeftovers.length > 0) {
    lines.push('');
    lines.push(`leftover processes that had to be SIGKILLed after close: ${results.killedLeftovers.join(', ')}`);
  }
  lines.push('');
  lines.push(`took ${formatNumber(results.durationS)} s; ours: localCluster on 127.0.0.1, path client →pipe→ controller →FIFO→ sg-worker →pipe→ executor →FIFO→ sg-worker →FIFO→ controller →pipe→ client; typed arrays ≥ 64 KiB in arguments go through /dev/shm instead`);
  return lines.join('\n');
}
