/** `%cluster status`: servers, executors with pid, state, task, RSS and CPU, and task counts, as tables. */
import type { ClusterStatus } from '../client/api-types.js';
import { feedLines, keptLine } from './feeds-view.js';
import { escapeHtml, htmlTable, textTable, type MimeBundle } from './html.js';

export function statusBundle(s: ClusterStatus): MimeBundle {
  const totals = `tasks: ${s.done} done, ${s.failed} failed, ${s.running} running, ${s.queued} queued`;
  const head = `controller pid ${s.controller.pid} · ${s.servers.length} server(s) · ${s.executors.length} executor(s)`;
  const serverRows = s.servers.map((v) => [v.url, v.alive ? 'alive' : 'lost', String(v.executors)]);
  const execRows = s.executors.map((e) => [
    String(e.pid), e.server, e.busy ? 'busy' : 'idle',
    e.task === undefined ? '' : `set ${e.task.set} #${e.task.index}`,
    e.rss === undefined ? '' : `${Math.round(e.rss / 2 ** 20)} MiB`,
    e.cpu === undefined ? '' : `${Math.round(e.cpu * 100)} %`,
  ]);
  const execHeader = ['pid', 'server', 'state', 'task', 'RSS', 'CPU'];
  const kept = keptLine(s);
  const feeds = feedLines(s);
  const notes = [...(kept === '' ? [] : [kept]), ...(feeds.length === 0 ? [] : ['sets that feed sets:', ...feeds.map((l) => `  ${l}`)])];
  const text = [
    head,
    totals,
    ...notes,
    '',
    textTable(['server', 'state', 'executors'], serverRows),
    '',
    textTable(execHeader, execRows),
  ].join('\n');
  const html =
    `<div class="sg-status"><div>${escapeHtml(head)}</div><div>${escapeHtml(totals)}</div>` +
    (notes.length === 0 ? '' : `<pre class="sg-feeds">${escapeHtml(notes.join('\n'))}</pre>`) +
    htmlTable(['server', 'state', 'executors'], serverRows, 'Servers') +
    htmlTable(execHeader, execRows, 'Executors') +
    htmlTable(['done', 'failed', 'running', 'queued'], [[s.done, s.failed, s.running, s.queued].map(String)], 'Tasks') +
    `</div>`;
  return { 'text/plain': text, 'text/html': html };
}
