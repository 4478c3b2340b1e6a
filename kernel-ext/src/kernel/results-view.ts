/** `%gather` output: a summary line, the first results (a table when they share a shape), what tasks printed; remote errors without local stacks. */
import { inspect } from 'node:util';
import type { SetProgress } from '../client/api-types.js';
import { histogramSvg, histogramsIn, pool } from './histogram-chart.js';
import { escapeHtml, htmlTable, textTable, type MimeBundle } from './html.js';
import { tableFor } from './result-table.js';

interface RemoteErrorLike {
  remoteName?: string;
  message: string;
  server?: string;
  pid?: number;
  index?: number;
}

function isRemoteError(v: unknown): v is Error & RemoteErrorLike {
  return v instanceof Error && typeof (v as RemoteErrorLike).remoteName === 'string';
}

/** A stand-in that prints a remote error on one line: what failed, where. */
class RemoteErrorView {
  constructor(private readonly e: RemoteErrorLike) {}
  [inspect.custom](): string {
    const where = [this.e.server, this.e.pid !== undefined ? `pid ${this.e.pid}` : undefined].filter(Boolean).join(' ');
    return `RemoteError(${this.e.remoteName}: ${this.e.message}${where ? ` @ ${where}` : ''})`;
  }
}

export function viewable(results: readonly unknown[]): unknown[] {
  return results.map((v) => (isRemoteError(v) ? new RemoteErrorView(v) : v));
}

const INSPECT = { depth: 4, maxArrayLength: 12, breakLength: 100, compact: 3 } as const;
/** How many results a compact view shows; `%gather --all` shows every one. */
export const SHOWN = 10;

export function countErrors(results: readonly unknown[]): number {
  return results.filter(isRemoteError).length;
}

/** What the tasks printed, the first few in full; the rest are a call of sg.output(h) away. */
function printed(setId: number, outputs: readonly string[], all: boolean): string {
  const talkers = outputs.map((text, index) => ({ text, index })).filter((o) => o.text !== '');
  if (talkers.length === 0) return '';
  const limit = all ? talkers.length : SHOWN;
  const shown = talkers.slice(0, limit).map((o) => `--- task ${o.index} printed:\n${o.text.replace(/\n$/, '')}`);
  const more = talkers.length > limit ? `\n… ${talkers.length - limit} more tasks printed: sg.output(${setId}) has them all` : '';
  return `\n${shown.join('\n')}${more}`;
}

interface Arrived {
  index: number;
  value: unknown;
}

/**
 * The arrived results, the first SHOWN (or all): as a table when the values
 * share a shape (a failed task's row shows its error), else listed in full.
 */
function body(setId: number, results: readonly unknown[], all: boolean): { text: string; html: string } {
  const arrived: Arrived[] = [];
  results.forEach((value, index) => arrived.push({ index, value }));
  const shown = all ? arrived : arrived.slice(0, SHOWN);
  const hidden = arrived.length - shown.length;
  const note = hidden > 0 ? `… ${hidden} more not shown: %gather ${setId} --all shows every result` : '';
  const table = tableFor(arrived.map((a) => a.value).filter((v) => !isRemoteError(v)));
  if (table === undefined) {
    const listed = inspect(viewable(shown.map((a) => a.value)), all ? { ...INSPECT, maxArrayLength: Infinity } : INSPECT);
    const text = [listed, note].filter(Boolean).join('\n');
    return { text, html: `<pre>${escapeHtml(text)}</pre>` };
  }
  const header = ['task', ...table.header];
  const rows = shown.map(({ index, value }) =>
    isRemoteError(value) ? [String(index), inspect(new RemoteErrorView(value)), ...table.header.slice(1).map(() => '')] : [String(index), ...table.row(value)],
  );
  const chart = table.kind === 'histogram' ? histogramSvg(pool(histogramsIn(results)), 'all histograms pooled') : '';
  return {
    text: [textTable(header, rows), note].filter(Boolean).join('\n'),
    html: htmlTable(header, rows) + (note ? `<div>${escapeHtml(note)}</div>` : '') + chart,
  };
}

function bundle(head: string, setId: number, results: readonly unknown[], outputs: readonly string[], all: boolean): MimeBundle {
  const { text, html } = body(setId, results, all);
  const talk = printed(setId, outputs, all);
  return {
    'text/plain': `${head}\n${text}${talk}`,
    'text/html': `<div class="sg-results"><div>${escapeHtml(head)}</div>${html}${talk ? `<pre>${escapeHtml(talk.slice(1))}</pre>` : ''}</div>`,
  };
}

export function resultsBundle(setId: number, fn: string, results: readonly unknown[], outputs: readonly string[] = [], options: { all?: boolean } = {}): MimeBundle {
  const failed = countErrors(results);
  const head = `set ${setId} ${fn}: ${results.length} results` + (failed ? `, ${failed} failed` : '');
  return bundle(head, setId, results, outputs, options.all === true);
}

export function peekBundle(p: SetProgress, outputs: readonly string[] = [], options: { all?: boolean } = {}): MimeBundle {
  const { handle: h } = p;
  const arrived = p.done + p.failed;
  const head =
    `set ${h.id} ${h.fn}: ${arrived}/${h.size} arrived (${p.done} done, ${p.failed} failed), ${p.pending} pending` +
    (p.complete ? ' — complete' : '');
  return bundle(head, h.id, p.results, outputs, options.all === true);
}

export function inspectValue(v: unknown): string {
  return inspect(Array.isArray(v) ? viewable(v) : v, INSPECT);
}
