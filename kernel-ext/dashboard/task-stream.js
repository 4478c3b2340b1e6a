// The task stream: one lane per executor, a bar per task (or run of short tasks) over the last minute.
'use strict';
(function (SG) {
  const LANE = 18;
  const LABEL = 190;
  const AXIS = 18;

  /** Lanes to draw: every executor the status lists, and any that still has bars in the window. */
  function laneList(status, lanes) {
    const byKey = new Map();
    for (const e of status === null ? [] : status.executors) byKey.set(`${e.server} ${e.pid}`, { lane: `${e.server} ${e.pid}`, server: e.server, pid: e.pid, busy: e.busy });
    for (const l of lanes) if (!byKey.has(l.lane)) byKey.set(l.lane, l);
    return [...byKey.values()].sort((a, b) => a.server.localeCompare(b.server) || a.pid - b.pid);
  }

  const hostOf = (url) => url.replace(/^tcp:\/\//, '');

  SG.drawStream = function (canvas, { status, lanes, bars, now, windowMs }) {
    const rows = laneList(status, lanes);
    const width = canvas.clientWidth || 900;
    const height = AXIS + Math.max(1, rows.length) * LANE;
    const scale = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * scale) || canvas.height !== Math.round(height * scale)) {
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.style.height = `${height}px`;
    }
    const g = canvas.getContext('2d');
    g.setTransform(scale, 0, 0, scale, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    const plot = width - LABEL - 8;
    const from = now - windowMs;
    const x = (t) => LABEL + ((t - from) / windowMs) * plot;
    // Time axis: a tick every 10 s, labelled in seconds ago.
    g.fillStyle = '#6b7385';
    g.strokeStyle = '#eceef2';
    for (let ago = 0; ago <= windowMs; ago += 10_000) {
      const at = x(now - ago);
      g.beginPath();
      g.moveTo(at, AXIS - 4);
      g.lineTo(at, height);
      g.stroke();
      g.fillText(ago === 0 ? 'now' : `-${ago / 1000} s`, Math.min(at - 8, width - 30), AXIS / 2 - 2);
    }
    const index = new Map(rows.map((r, i) => [r.lane, i]));
    rows.forEach((r, i) => {
      g.fillStyle = i % 2 === 0 ? 'rgba(0,0,0,0.025)' : 'rgba(0,0,0,0)';
      g.fillRect(LABEL, AXIS + i * LANE, plot, LANE);
      g.fillStyle = r.busy ? '#1f77b4' : '#1d2330';
      g.fillText(`${hostOf(r.server)} · ${r.pid}`, 4, AXIS + i * LANE + LANE / 2, LABEL - 8);
    });
    let drawn = 0;
    for (const b of bars.values()) {
      const [, lane, start, end, set, , failed] = b;
      const row = index.get(lane);
      if (row === undefined || end < from) continue;
      const left = Math.max(LABEL, x(start));
      const w = Math.max(1.5, x(end) - left);
      // A 1px gap after each bar that is wide enough keeps back-to-back tasks apart.
      const top = AXIS + row * LANE + 2;
      g.fillStyle = SG.colourOf(set);
      g.fillRect(left, top, w > 4 ? w - 1 : w, LANE - 4);
      if (failed > 0) {
        g.fillStyle = '#d62728';
        g.fillRect(left, top, Math.max(w, 3), 5);
      }
      drawn += 1;
    }
    canvas.dataset.bars = String(drawn);
    if (rows.length === 0) {
      g.fillStyle = '#6b7385';
      g.fillText('no executors yet', LABEL + 8, AXIS + LANE / 2);
    }
  };
})(window.SG = window.SG || {});
