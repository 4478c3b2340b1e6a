// Keeps the page's state from the server's event stream and redraws on each event.
'use strict';
(function (SG) {
  const token = new URLSearchParams(location.search).get('token') || '';
  const KEPT_POINTS = 750;
  const KEPT_ERRORS = 20;
  const bars = new Map();
  let points = [];
  let errors = [];
  const charts = SG.makeCharts();
  const canvas = document.getElementById('stream');
  const connection = document.getElementById('connection');

  function take(snapshot) {
    for (const bar of snapshot.bars) bars.set(bar[0], bar);
    for (const [id, bar] of bars) if (bar[3] < snapshot.now - snapshot.windowMs) bars.delete(id);
    points = points.concat(snapshot.series).slice(-KEPT_POINTS);
    if (snapshot.errors.length > 0) errors = errors.concat(snapshot.errors).slice(-KEPT_ERRORS);
  }

  // What each panel last drew from: a panel whose data did not change is left alone (no relayout, no repaint).
  const drawn = new Map();
  function redraw(panel, data, drawPanel) {
    const key = JSON.stringify(data);
    if (drawn.get(panel) === key) return;
    drawn.set(panel, key);
    drawPanel(data);
  }

  function draw(snapshot) {
    const last = points[points.length - 1];
    redraw('summary', [snapshot.status, last === undefined ? 0 : last[1]], ([status, rate]) => SG.drawSummary(status, rate));
    redraw('sets', snapshot.sets, SG.drawSets);
    redraw('executors', snapshot.status, SG.drawExecutors);
    SG.drawStream(canvas, { status: snapshot.status, lanes: snapshot.lanes, bars, now: snapshot.now, windowMs: snapshot.windowMs });
    if (snapshot.series.length > 0) charts.draw(points);
    if (snapshot.errors.length > 0) SG.drawErrors([...errors].reverse());
    redraw('modules', snapshot.modules, SG.drawModules);
    redraw('kept', snapshot.kept, SG.drawKept);
  }

  const events = new EventSource(`events?token=${encodeURIComponent(token)}`);
  events.onopen = () => {
    // A (re)connected stream starts with everything: drop what an earlier one left.
    bars.clear();
    points = [];
    errors = [];
    drawn.clear();
    connection.textContent = 'live';
    connection.className = 'state live';
  };
  events.onerror = () => {
    connection.textContent = 'disconnected (the client closed?)';
    connection.className = 'state lost';
  };
  events.onmessage = (event) => {
    const snapshot = JSON.parse(event.data);
    take(snapshot);
    draw(snapshot);
  };
})(window.SG = window.SG || {});
