/** `%gather` output: a summary line and the results, with remote errors shown without local stacks. */
import { inspect } from 'node:util';
import type { SetProgress } from '../client/api-types.js';
import type { MimeBundle } from './html.js';

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

class Pending {
  [inspect.custom](): string {
    return '<pending>';
  }
}
const PENDING = new Pending();

export function viewable(results: readonly unknown[], holes = false): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < results.length; i++) {
    const v = results[i];
    if (holes && !(i in results)) out.push(PENDING);
    else out.push(isRemoteError(v) ? new RemoteErrorView(v) : v);
  }
  return out;
}

const INSPECT = { depth: 4, maxArrayLength: 12, breakLength: 100, compact: 3 } as const;
/** How many results a view lists before saying how many more there are. */
const SHOWN = 5;

function listed(values: readonly unknown[]): string {
  const text = inspect(values.slice(0, SHOWN), INSPECT);
  return values.length > SHOWN ? `${text.replace(/\s*\]$/, '')},\n  … ${values.length - SHOWN} more\n]` : text;
}

export function countErrors(results: readonly unknown[]): number {
  return results.filter(isRemoteError).length;
}

/** What the tasks printed, the first few in full; the rest are a call of sg.output(h) away. */
function printed(setId: number, outputs: readonly string[]): string {
  const talkers = outputs.map((text, index) => ({ text, index })).filter((o) => o.text !== '');
  if (talkers.length === 0) return '';
  const shown = talkers.slice(0, SHOWN).map((o) => `--- task ${o.index} printed:\n${o.text.replace(/\n$/, '')}`);
  const more = talkers.length > SHOWN ? `\n… ${talkers.length - SHOWN} more tasks printed: sg.output(${setId}) has them all` : '';
  return `\n${shown.join('\n')}${more}`;
}

export function resultsBundle(setId: number, fn: string, results: readonly unknown[], outputs: readonly string[] = []): MimeBundle {
  const failed = countErrors(results);
  const head = `set ${setId} ${fn}: ${results.length} results` + (failed ? `, ${failed} failed` : '');
  return { 'text/plain': `${head}\n${listed(viewable(results))}${printed(setId, outputs)}` };
}

export function peekBundle(p: SetProgress, outputs: readonly string[] = []): MimeBundle {
  const { handle: h } = p;
  const arrived = p.done + p.failed;
  const head =
    `set ${h.id} ${h.fn}: ${arrived}/${h.size} arrived (${p.done} done, ${p.failed} failed), ${p.pending} pending` +
    (p.complete ? ' — complete' : '');
  const results = Array.from({ length: h.size }, (_, i) => p.results[i]);
  const shown = viewable(
    results.map((v, i) => (i in p.results ? v : PENDING)),
    false,
  );
  return { 'text/plain': `${head}\n${listed(shown)}${printed(h.id, outputs)}` };
}

export function inspectValue(v: unknown): string {
  return inspect(Array.isArray(v) ? viewable(v) : v, INSPECT);
}
