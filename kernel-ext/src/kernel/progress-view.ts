/** The progress bar of a scatter set, as text and HTML (the same facts in both). */
import type { SetHandle, SetProgress } from '../client/api-types.js';
import { escapeHtml, formatDuration, formatRate, type MimeBundle } from './html.js';

export type ProgressState = 'running' | 'complete' | 'cancelled' | 'lost';

export interface ProgressFacts {
  id: number;
  fn: string;
  total: number;
  done: number;
  failed: number;
  percent: number;
  elapsedMs: number;
  rate: string;
  state: ProgressState;
}

/** What a bar shows of a set: counts and times, never its results (a bar outlives the cell that drew it). */
export type ProgressCounts = Pick<SetProgress, 'done' | 'failed' | 'complete' | 'startedAt' | 'finishedAt'> & { handle: Pick<SetHandle, 'id' | 'fn' | 'size'> };

/** The counts of `p`, copied: nothing that holds on to the set's results or its handle. */
export function copyCounts(p: SetProgress): ProgressCounts {
  const { handle: { id, fn, size }, done, failed, complete, startedAt, finishedAt } = p;
  return { handle: { id, fn, size }, done, failed, complete, startedAt, finishedAt };
}

export function progressFacts(p: ProgressCounts, now: number, state?: ProgressState): ProgressFacts {
  const total = p.handle.size;
  const finished = p.done + p.failed;
  const end = p.finishedAt ?? now;
  const elapsedMs = Math.max(0, end - p.startedAt);
  return {
    id: p.handle.id,
    fn: p.handle.fn,
    total,
    done: p.done,
    failed: p.failed,
    percent: total === 0 ? 100 : Math.floor((100 * finished) / total),
    elapsedMs,
    rate: formatRate(elapsedMs > 0 ? (1000 * finished) / elapsedMs : 0),
    state: state ?? (p.complete ? 'complete' : 'running'),
  };
}

const STATE_LABEL: Record<ProgressState, string> = {
  running: 'running',
  complete: 'complete',
  cancelled: 'cancelled',
  lost: 'cluster gone',
};

function summary(f: ProgressFacts): string {
  return (
    `set ${f.id} ${f.fn}: ${f.done + f.failed}/${f.total} ` +
    `(${f.done} done, ${f.failed} failed), ${f.rate}, ${formatDuration(f.elapsedMs)} — ${STATE_LABEL[f.state]}`
  );
}

export function progressText(f: ProgressFacts, width = 30): string {
  const okCells = f.total ? Math.round((width * f.done) / f.total) : width;
  const badCells = f.total ? Math.round((width * (f.done + f.failed)) / f.total) - okCells : 0;
  const bar = '█'.repeat(okCells) + '▒'.repeat(badCells) + '·'.repeat(Math.max(0, width - okCells - badCells));
  return `[${bar}] ${String(f.percent).padStart(3)}% ${summary(f)}`;
}

const COLOURS: Record<ProgressState, string> = {
  running: '#1e88e5',
  complete: '#43a047',
  cancelled: '#9e9e9e',
  lost: '#9e9e9e',
};

export function progressHtml(f: ProgressFacts): string {
  const ok = f.total ? (100 * f.done) / f.total : 100;
  const bad = f.total ? (100 * f.failed) / f.total : 0;
  const seg = (w: number, c: string) => `<div style="float:left;height:100%;width:${w.toFixed(2)}%;background:${c}"></div>`;
  return (
    `<div class="sg-progress" data-set="${f.id}" data-percent="${f.percent}" data-state="${f.state}" ` +
    `style="font-family:monospace;font-size:12px;line-height:16px">` +
    `<div style="display:inline-block;vertical-align:middle;width:240px;height:12px;background:#e0e0e0;border-radius:3px;overflow:hidden">` +
    seg(ok, COLOURS[f.state]) +
    seg(bad, '#e53935') +
    `</div> <span class="sg-progress-percent">${f.percent}%</span> ` +
    `<span class="sg-progress-summary">${escapeHtml(summary(f))}</span></div>`
  );
}

export function progressBundle(f: ProgressFacts): MimeBundle {
  return { 'text/plain': progressText(f), 'text/html': progressHtml(f) };
}
