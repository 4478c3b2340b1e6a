// The dashboard's tables and lists, redrawn from each snapshot. Text only through textContent:
// error messages and stacks come from task code.
'use strict';
(function (SG) {
  const PALETTE = ['#1f77b4', '#ff7f0e', '#9467bd', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#2ca02c', '#7f7f7f', '#aec7e8'];

  /** A set's colour, the same in every panel. */
  SG.colourOf = (set) => PALETTE[(set - 1 + PALETTE.length) % PALETTE.length];

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    for (const child of children) node.append(child);
    return node;
  }
  SG.el = el;

  const number = (n) => (n >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString('en') : n.toFixed(1));
  const bytes = (b) => (b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(1)} GiB` : `${(b / (1 << 20)).toFixed(0)} MiB`);
  function duration(s) {
    if (s === null) return '—';
    if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  }

  function replaceRows(table, rows) {
    table.tBodies[0].replaceChildren(...rows);
  }

  SG.drawSummary = function (status, lastRate) {
    const text = status === null
      ? 'waiting for the cluster…'
      : `${status.servers.filter((s) => s.alive).length}/${status.servers.length} servers · ${status.executors.length} executors · ` +
        `${number(status.queued)} queued · ${number(status.running)} running · ${number(status.done)} done · ${number(status.failed)} failed · ${number(lastRate)} tasks/s`;
    document.getElementById('summary').textContent = text;
  };

  SG.drawSets = function (sets) {
    replaceRows(document.getElementById('sets'), sets.map((s) => {
      const ok = el('span', { className: 'ok' });
      ok.style.width = `${(100 * s.done) / Math.max(1, s.size)}%`;
      const bad = el('span', { className: 'bad' });
      bad.style.left = ok.style.width;
      bad.style.width = `${(100 * s.failed) / Math.max(1, s.size)}%`;
      const swatch = el('span', { className: 'swatch' });
      swatch.style.background = SG.colourOf(s.id);
      const row = el('tr', {},
        el('td', {}, swatch, String(s.id)),
        el('td', { textContent: s.fn }),
        el('td', {}, el('div', { className: 'bar' }, ok, bad)),
        el('td', { className: 'done', textContent: `${s.done + s.failed}/${s.size}` }),
        el('td', { className: s.failed > 0 ? 'failed-count' : '', textContent: String(s.failed) }),
        el('td', { textContent: `${number(s.rate)}/s` }),
        el('td', { textContent: s.finishedAt !== undefined ? 'complete' : duration(s.eta) }));
      row.dataset.set = String(s.id);
      return row;
    }));
  };

  SG.drawExecutors = function (status) {
    const rows = [];
    for (const server of status === null ? [] : status.servers) {
      const executors = status.executors.filter((e) => e.server === server.url);
      if (!server.alive) rows.push(el('tr', {}, el('td', { className: 'server', textContent: server.url, title: server.url }), el('td', { className: 'failed-count', textContent: 'not answering', colSpan: 5 })));
      for (const e of executors) {
        const task = e.task === undefined ? '' : `set ${e.task.set} #${e.task.index}`;
        const row = el('tr', {},
          el('td', { className: 'server', textContent: server.url, title: server.url }),
          el('td', { className: 'pid', textContent: String(e.pid) }),
          el('td', { className: e.busy ? 'busy' : 'idle', textContent: e.busy ? 'busy' : 'idle' }),
          el('td', { textContent: task }),
          el('td', { textContent: e.rss === undefined ? '—' : bytes(e.rss) }),
          el('td', { textContent: e.cpu === undefined ? '—' : `${Math.round(e.cpu * 100)} %` }));
        row.dataset.pid = String(e.pid);
        rows.push(row);
      }
    }
    replaceRows(document.getElementById('executors'), rows);
  };

  SG.drawErrors = function (errors) {
    const box = document.getElementById('errors');
    if (errors.length === 0) return;
    box.replaceChildren(...errors.map((e) => {
      const where = e.pid > 0 ? `set ${e.set} #${e.index} · pid ${e.pid} on ${e.server}` : `set ${e.set} #${e.index}`;
      const summary = el('summary', {}, el('b', { textContent: `${e.name}: ` }), e.message, ' ', el('span', { className: 'where', textContent: `(${where}, ${new Date(e.at).toLocaleTimeString()})` }));
      return el('details', { className: 'error', open: true }, summary, el('pre', { className: 'stack', textContent: e.stack || '(no stack)' }));
    }));
  };

  SG.drawModules = function (modules) {
    if (modules.length === 0) return;
    document.getElementById('modules').replaceChildren(...modules.map((m) => el('li', {}, el('b', { textContent: m.name }), ' ', el('code', { textContent: m.exports.join(', ') }))));
  };

  /** Kept results (what each server holds), shown only once the controller reports them. */
  SG.drawKept = function (kept) {
    const panel = document.getElementById('kept-panel');
    panel.hidden = kept === undefined;
    if (kept === undefined) return;
    replaceRows(document.getElementById('kept'), kept.map((k) => el('tr', {}, ...Object.entries(k).map(([key, value]) => el('td', { textContent: `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}` })))));
  };
})(window.SG = window.SG || {});
