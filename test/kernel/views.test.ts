import assert from 'node:assert/strict';
import { chart, errors, html, progressView, resultsView, statusView } from './kernel-modules';

const handle = { id: 3, fn: 'histogram', size: 4 };
const progress = (done: number, failed: number, complete = done + failed === 4) => ({
  handle, done, failed, pending: 4 - done - failed, complete, startedAt: 1000, ...(complete ? { finishedAt: 3000 } : {}), results: [],
});

describe('kernel/views', () => {
  it('draws the progress bar with done, failed, total, rate, elapsed and state', () => {
    const mid = progressView.progressFacts(progress(1, 1), 2000);
    assert.equal(mid.percent, 50);
    assert.equal(mid.rate, '2.0/s');
    const text = progressView.progressText(mid, 10);
    assert.equal(text, '[███▒▒·····]  50% set 3 histogram: 2/4 (1 done, 1 failed), 2.0/s, 1.0 s — running');
    const end = progressView.progressBundle(progressView.progressFacts(progress(4, 0), 9999));
    assert.match(end['text/html'] ?? '', /data-percent="100" data-state="complete"/);
    assert.match(end['text/html'] ?? '', />100%</);
    assert.match(end['text/plain'] ?? '', /4\/4 \(4 done, 0 failed\), 2\.0\/s, 2\.0 s — complete/);
  });

  it('renders the cluster status as text and HTML tables', () => {
    const b = statusView.statusBundle({
      controller: { pid: 10 },
      servers: [{ url: 'tcp://127.0.0.1:5555', alive: true, executors: 2 }],
      executors: [{ pid: 11, server: 'tcp://127.0.0.1:5555', busy: true, rss: 64 * 2 ** 20, cpu: 0.5, task: { set: 3, index: 4 } }, { pid: 12, server: 'tcp://127.0.0.1:5555', busy: false }],
      queued: 1, running: 1, done: 5, failed: 2,
      refs: [{ id: 's1.0', size: 2048, state: 'ready', servers: ['tcp://127.0.0.1:5555'] }, { id: 'p1', size: 1024, state: 'ready', servers: ['tcp://127.0.0.1:5555'] }],
      feeds: [{ from: 's1', to: 2 }, { from: 's1', to: 3 }, { from: 'p1', to: 3 }, { from: 's2', to: 4 }],
    });
    assert.match(b['text/plain'] ?? '', /kept: 2 value\(s\), 3\.0 KiB on 1 server\(s\)/);
    assert.match(b['text/plain'] ?? '', /set 1 ──▶ set 2, set 3\n\s+put p1 ──▶ set 3\n\s+set 2 ──▶ set 4/);
    assert.match(b['text/plain'] ?? '', /11\s+tcp:\/\/127\.0\.0\.1:5555\s+busy\s+set 3 #4\s+64 MiB\s+50 %/);
    assert.match(b['text/html'] ?? '', /<table[^>]*><caption[^>]*>Executors<\/caption>/);
    assert.match(b['text/html'] ?? '', /<td[^>]*>12<\/td><td[^>]*>tcp:\/\/127\.0\.0\.1:5555<\/td><td[^>]*>idle<\/td>/);
    assert.match(b['text/plain'] ?? '', /5 done, 2 failed, 1 running, 1 queued/);
  });

  it('shows remote errors in results by name and place, without a local stack', () => {
    const e = Object.assign(new Error('bad size'), { remoteName: 'RangeError', server: 'tcp://h:1', pid: 42, index: 1 });
    const b = resultsView.resultsBundle(3, 'histogram', [1, e]);
    assert.equal(b['text/plain'], 'set 3 histogram: 2 results, 1 failed\ntask  value\n----  ----------------------------------------------------\n0     1\n1     RemoteError(RangeError: bad size @ tcp://h:1 pid 42)');
    const peek = resultsView.peekBundle({ ...progress(1, 0), results: [undefined, 7] as unknown[] });
    assert.match(peek['text/plain'] ?? '', /1\/4 arrived \(1 done, 0 failed\), 3 pending/);
  });

  it('compacts %gather: a summary, the first results as a table when they share a shape, a note of the rest; --all shows every one', () => {
    const hs = Array.from({ length: 40 }, (_, i) => ({ counts: [i, 10, 40 - i], edges: [0, 1, 2, 3] }));
    const b = resultsView.resultsBundle(5, 'histogram', hs);
    const text = b['text/plain'] ?? '';
    assert.match(text, /^set 5 histogram: 40 results\ntask\s+counts\s+chart\s+range\n/);
    assert.match(text, /^0\s+0 10 40\s+▁▂█\s+\[0, 3\]$/m);
    assert.equal(text.match(/^\d+\s+\d+ 10 \d+/gm)?.length, resultsView.SHOWN);
    assert.match(text, /… 30 more not shown: %gather 5 --all shows every result$/m);
    assert.match(b['text/html'] ?? '', /<table class="sg-table"[^]*<svg[^>]*class="sg-histogram"/);
    const all = resultsView.resultsBundle(5, 'histogram', hs, [], { all: true })['text/plain'] ?? '';
    assert.equal(all.match(/^\d+\s+\d+ 10 \d+/gm)?.length, 40);
    assert.doesNotMatch(all, /more not shown/);

    const records = resultsView.resultsBundle(6, 'stats', [{ mean: 1.5, n: 2 }, { mean: 2, n: 3 }])['text/plain'] ?? '';
    assert.match(records, /^task\s+mean\s+n\n-+\s+-+\s+-+\n0\s+1\.5\s+2\n1\s+2\s+3$/m);
    const mixed = resultsView.resultsBundle(7, 'echo', [[1, 2], 'x'])['text/plain'] ?? '';
    assert.match(mixed, /^set 7 echo: 2 results\n\[ \[ 1, 2 \], 'x' \]$/, 'values of different shapes are listed as they are');
  });

  it('pools histograms, re-binning when edges differ, and draws an SVG', () => {
    const a = { counts: [1, 2], edges: [0, 1, 2] };
    assert.deepEqual(chart.pool([a, a]), { counts: [2, 4], edges: [0, 1, 2] });
    const b = { counts: [5, 5], edges: [2, 3, 4] };
    const pooled = chart.pool([a, b]);
    assert.deepEqual(pooled.edges, [0, 2, 4]);
    assert.deepEqual(pooled.counts, [3, 10]);
    const bundle = chart.chartBundle([a, new Error('x'), { counts: new Float64Array([3, 4]), edges: [0, 1, 2] }]);
    assert.match(bundle['image/svg+xml'] ?? '', /^<svg[^>]*class="sg-histogram"/);
    assert.equal((bundle['image/svg+xml'] ?? '').match(/<rect class="sg-bar"/g)?.length, 2);
    assert.match(bundle['text/plain'] ?? '', /2 histograms pooled · 10 samples/);
    assert.throws(() => chart.chartBundle([1, 2]), (e: unknown) => e instanceof errors.KernelError && e.code === 'NOT_CHARTABLE');
  });

  it('shows, charts and pools 200,000 bins, histograms or rows without overflowing the call stack', () => {
    const n = 200_000;
    const wide = { counts: Array.from({ length: n }, (_, i) => i % 7), edges: Array.from({ length: n + 1 }, (_, i) => i) };
    const gathered = resultsView.resultsBundle(1, 'histogram', [wide]);
    assert.match(gathered['text/plain'] ?? '', /^set 1 histogram: 1 results?\ntask\s+counts\s+chart\s+range\n/);
    assert.match(chart.chartBundle(wide)['text/plain'] ?? '', /200000 bins over \[0, 2\.0e\+5\], peak 6$/);
    const many = Array.from({ length: n }, (_, i) => ({ counts: [1], edges: [i, i + 1] }));
    assert.deepEqual(chart.pool(many, 2), { counts: [n / 2, n / 2], edges: [0, n / 2, n] });
    const rows = Array.from({ length: n }, (_, i) => [String(i)]);
    assert.equal(html.textTable(['i'], rows).split('\n')[1], '------');
  });

  it('re-bins only into a whole number of bins from 1 to 10000', () => {
    const a = { counts: [1, 2], edges: [0, 1, 2] };
    assert.deepEqual(chart.pool([a], 4).counts, [0, 1, 0, 2]);
    for (const bins of [0, 2.5, -1, 10_001]) {
      assert.throws(() => chart.chartBundle(a, { bins }), (e: unknown) => e instanceof errors.KernelError && e.code === 'BAD_ARGUMENTS' && /--bins wants a whole number/.test(e.message));
    }
  });
});
