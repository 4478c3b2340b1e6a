/**
 * The kernel through a real Jupyter server (Debian's jupyter-server) and
 * @jupyterlab/services: every magic, live progress, errors, interrupts,
 * completion and inspection. One server and one kernel for the whole suite.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel, plain } from '../support/jupyter-kernel';
import { fails as failCell, ok as okCell, resultText, runStarted, sleep, tearDown } from './cells';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe('kernel: magics through a real Jupyter server', function () {
  this.timeout(60_000);
  let server: JupyterServer;
  let kernel: TestKernel;
  let rootDir: string;
  const measured: Record<string, string> = {};

  const ok = (code: string, timeoutMs?: number) => okCell(kernel, code, timeoutMs);
  const fails = (code: string) => failCell(kernel, code);

  before(async function () {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-kernel-test-'));
    server = await startJupyterServer({ rootDir });
    const t0 = Date.now();
    kernel = await TestKernel.start(server);
    measured['kernel start (startNew → kernel_info)'] = `${Date.now() - t0} ms`;
  });

  after(async function () {
    this.timeout(30_000);
    await tearDown(kernel, server, rootDir);
    for (const [k, v] of Object.entries(measured)) console.log(`      measured: ${k}: ${v}`);
  });

  it('says how to start a cluster when a magic or `sg` needs one', async () => {
    for (const code of ['%scatter histogram [[[10]]]', '%gather', 'sg.poll()']) {
      const r = await fails(code);
      assert.equal(r.errors[0]?.ename, 'NoCluster');
      assert.match(r.errors[0]?.traceback.join('\n') ?? '', /%cluster local/);
    }
  });

  it('suggests the closest magic for an unknown one', async () => {
    const r = await fails('%scater histogram [[[1]]]');
    assert.equal(r.errors[0]?.ename, 'UnknownMagic');
    assert.match(r.errors[0]?.traceback.join('\n') ?? '', /Did you mean %scatter\?/);
  });

  it('%cluster local N starts a cluster; %cluster status shows servers and executors as a table', async () => {
    const t0 = Date.now();
    const r = await ok('%cluster local 2');
    measured['%cluster local 2'] = `${Date.now() - t0} ms`;
    assert.match(resultText(r), /1 server, 2 executors ready/);
    const s = await ok('%cluster status');
    const data = s.results[0] ?? {};
    assert.match(String(data['text/html']), /<caption[^>]*>Executors<\/caption>/);
    assert.equal(String(data['text/html']).match(/>idle<|>busy</g)?.length, 2);
    assert.match(plain(data), /controller pid \d+ · 1 server\(s\) · 2 executor\(s\)/);
  });

  it('%cluster dashboard gives the live page\'s URL; --inline shows the page in an iframe', async () => {
    const r = await ok('%cluster dashboard');
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(plain(r.results[0] ?? {}))?.[0];
    assert.ok(url, plain(r.results[0] ?? {}));
    assert.match(plain(r.results[0] ?? {}), /ssh -L (\d+):127\.0\.0\.1:\1 /);
    assert.equal((await fetch(url)).status, 200);
    const inline = await ok('%cluster dashboard --inline');
    assert.ok(String(inline.results[0]?.['text/html']).includes(`<iframe class="sg-dashboard" src="${url}"`), 'the same page, in an iframe');
  });

  it('%scatter shows a progress bar that keeps updating after the cell returned and ends at 100 %', async () => {
    const r = await ok('const h = %scatter sleep Array.from({ length: 8 }, (_, i) => [[200 + i]])');
    assert.ok(r.ms < 2000, `%scatter blocked for ${r.ms} ms`);
    const display = r.displays[0]?.content as { data: Record<string, string>; transient: { display_id: string } };
    const id = display.transient.display_id;
    assert.match(id, /^sg-progress-/);
    assert.match(display.data['text/html'] ?? '', /class="sg-progress"/);
    const other = await ok('const other = 6 * 7;\nother');
    assert.equal(other.stdout, '42\n', 'other cells run while the set does');
    const updates = () => kernel.iopub.filter((m) => m.header.msg_type === 'update_display_data' && (m.content as { transient?: { display_id?: string } }).transient?.display_id === id);
    await kernel.waitForIopub(() => updates().some((m) => /— complete/.test(plain((m.content as { data: Record<string, unknown> }).data))), 15_000, 'the final progress update');
    const last = updates()[updates().length - 1]?.content as { data: Record<string, string> };
    assert.match(last.data['text/html'] ?? '', /data-percent="100" data-state="complete"/);
    assert.match(last.data['text/plain'] ?? '', /100% set \d+ sleep: 8\/8 \(8 done, 0 failed\)/);
    assert.ok(updates().length <= 8, `${updates().length} updates for 8 results`);
    const g = await ok('%gather h --wait');
    assert.match(resultText(g), /8 results\ntask\s+value\n-+\s+-+\n0\s+200\n1\s+201\n(?:.*\n){5}7\s+207$/);
    const v = await ok('const rs = %gather h --wait\nrs.length');
    assert.equal(v.stdout, '8\n');
    assert.equal(v.results.length, 0, 'an assigned magic shows no value');
  });

  it('%gather without --wait returns at once with what has arrived and what is pending', async () => {
    await ok('%scatter sleep [[[1]], [[1500]]]');
    await sleep(400);
    const t0 = Date.now();
    const r = await ok('%gather');
    assert.ok(Date.now() - t0 < 1500);
    assert.match(resultText(r), /1\/2 arrived \(1 done, 0 failed\), 1 pending\ntask\s+value\n-+\s+-+\n0\s+1$/);
    const p = await ok('const p = %gather\np.pending + p.done');
    assert.equal(p.stdout, '2\n');
  });

  it('lists the available functions for an unknown one, and points at a TypeScript error in EXPR', async () => {
    const r = await fails('%scatter histgram [[[1]]]');
    assert.equal(r.errors[0]?.ename, 'UnknownFunction');
    assert.match(r.errors[0]?.traceback.join('\n') ?? '', /Did you mean histogram\? Available: histogram, echo, sleep, pid/);
    assert.equal((await fails('%scatter toString [[[1]]]')).errors[0]?.ename, 'UnknownFunction', 'a member of Object.prototype is no notebook function');
    const ts = await fails('const n = 3;\n%scatter echo  n.toFixed(')
      .catch(() => fails('const n = 3;\n%scatter echo n + "x"'));
    assert.match(ts.stderr, /^2:\d+ - /m);
    const typed = await fails('%scatter echo 5');
    assert.match(typed.stderr, /^1:15 - Argument of type 'number' is not assignable/);
    const shape = await fails('%scatter echo [1, 2]');
    assert.equal(shape.errors.length + (shape.stderr ? 1 : 0) > 0, true);
    const untyped = await fails('%scatter echo [[1], [2]] as unknown[][]');
    assert.match(untyped.stderr, /^1:15 - Argument of type 'unknown\[\]\[\]' is not assignable/m, 'a set is checked against its function');
    const bad = await fails('%scatter echo [[1], [2]] as any');
    assert.equal(bad.errors[0]?.ename, 'BadScatterSet');
    assert.match(bad.errors[0]?.traceback.join('\n') ?? '', /task 0 is not \[args, kwargs\?\]/);
  });

  it('%%remote installs a module whose exports scatter by name; a function variable goes by value', async () => {
    const inst = await ok('%%remote --name geometry\nexport function square(x: number): number {\n  return x * x;\n}');
    assert.match(resultText(inst), /installed on every executor: square/);
    const broken = await fails('%%remote\nexport function half(x: number) {\n  return x / ;\n}');
    assert.equal(broken.errors[0]?.ename, 'InstallError');
    assert.match(broken.errors[0]?.evalue ?? '', /line 2, column \d+/);
    await ok('%scatter square [[[3]], [[4]]]');
    assert.match(resultText(await ok('%gather --wait')), /^0\s+9\n1\s+16$/m);
    await ok('const triple = (x: number) => 3 * x;');
    await ok('%scatter triple [[[2]], [[5]]]');
    assert.match(resultText(await ok('%gather --wait')), /^0\s+6\n1\s+15$/m);
  });

  it('an interrupt ends %gather --wait or await sg.waitForResult, not the set; the kernel stays usable', async () => {
    // Long enough that the set outlasts both waits even on a loaded machine; each interrupt comes once its cell has begun.
    await ok('const slow = %scatter sleep [[[3000]], [[3000]]]');
    for (const code of ['%gather slow --wait', 'const got = await sg.waitForResult(slow)']) {
      const { pending } = await runStarted(kernel, code, 300);
      const t0 = Date.now();
      await kernel.interrupt();
      const r = await pending;
      measured['interrupt → cell returns'] = `${Date.now() - t0} ms`;
      assert.equal(r.status, 'error');
      assert.ok(Date.now() - t0 < 1000, 'returned at once');
      if (code.startsWith('%')) {
        assert.equal(r.errors[0]?.ename, 'KeyboardInterrupt');
        assert.match(r.errors[0]?.evalue ?? '', /stopped waiting for set \d+; it keeps running/);
      }
    }
    assert.match(resultText(await ok('%gather slow --wait')), /^0\s+3000\n1\s+3000$/m);
    assert.equal((await ok('1 + 1')).stdout, '2\n');
  });

  it('%gather --timeout gives up waiting; %cancel stops the set with CancelledError', async () => {
    await ok('const long = %scatter sleep [[[5000]], [[5000]], [[5000]]]');
    const t = await fails('%gather long --timeout 0.3');
    assert.equal(t.errors[0]?.ename, 'WaitTimeout');
    assert.match(t.errors[0]?.evalue ?? '', /after 0.3 s .* it keeps running/);
    const c = await ok('%cancel long');
    assert.match(resultText(c), /cancelled set \d+ sleep/);
    const g = await ok('%gather long --wait', 10_000);
    assert.match(resultText(g), /3 failed/);
    assert.match(resultText(g), /RemoteError\(CancelledError/);
  });

  it('%chart draws pooled histogram results as an inline SVG', async () => {
    await ok('const hs = %scatter histogram Array.from({ length: 10 }, () => [[1000, { bins: 10 }]])');
    const r = await ok('%chart await sg.waitForResult(hs)');
    const data = r.results[0] ?? {};
    assert.match(String(data['image/svg+xml']), /^<svg[^>]*class="sg-histogram"/);
    assert.match(plain(data), /10 histograms pooled · 10000 samples/);
  });

  it('%scatter --keep leaves results on the servers; %gather shows references and sizes, %fetch the values; status draws which sets feed which', async () => {
    await ok('const kh = %scatter histogram --keep Array.from({ length: 4 }, () => [[1000, { bins: 10 }]])');
    const g = await ok('%gather kh --wait', 20_000);
    assert.match(resultText(g), /Ref\(s\d+\.0, \d+ bytes\)/, 'each result is a reference and its size in bytes');
    await ok('const countAll = (...hs: { counts: number[] }[]) => hs.reduce((n, h) => n + h.counts.reduce((a, b) => a + b, 0), 0);');
    await ok('const total = %scatter countAll [[kh.refs()]]');
    assert.match(resultText(await ok('%gather total --wait', 20_000)), /4000/);
    const f = await ok('%fetch kh');
    assert.match(resultText(f), /counts/);
    assert.equal((await ok('(await sg.fetch(kh)).length')).stdout, '4\n');
    const s = resultText(await ok('%cluster status'));
    assert.match(s, /kept: 4 value\(s\)/);
    assert.match(s, /set \d+ ──▶ set \d+/);
    assert.equal((await fails('%fetch total')).errors[0]?.evalue.includes('was not kept'), true);
  });

  it('completes magics, flags, function names and handles, and still TypeScript; Shift-Tab shows help', async () => {
    assert.deepEqual((await kernel.complete('%sca')).matches, ['%scatter']);
    assert.deepEqual((await kernel.complete('%gather --w')).matches, ['--wait']);
    assert.ok((await kernel.complete('%scatter sq')).matches.includes('square'));
    assert.ok((await kernel.complete('%scatter tr')).matches.includes('triple'));
    const handles = (await kernel.complete('%cancel ')).matches;
    assert.ok(handles.includes('1') && handles.includes('h') && handles.includes('--wait') === false, JSON.stringify(handles));
    assert.ok((await kernel.complete('Math.fl')).matches.includes('floor'));
    assert.ok((await kernel.complete('%scatter echo [[[Math.fl')).matches.includes('floor'));
    assert.ok((await kernel.complete('sg.waitF')).matches.includes('waitForResult'), 'sg is typed');
    const help = await kernel.inspect('%gather', 3);
    assert.equal(help.status, 'ok');
    assert.match(String((help as { data: Record<string, unknown> }).data['text/plain']), /--wait/);
  });

  it('measures the overhead of a magic cell', async () => {
    const plainMs: number[] = [];
    const magicMs: number[] = [];
    for (let i = 0; i < 15; i++) {
      plainMs.push((await ok('const q = sg.progress(1);')).ms);
      magicMs.push((await ok('const q = %gather 1')).ms);
    }
    measured['plain cell `const q = sg.progress(1)` (median round trip)'] = `${median(plainMs)} ms`;
    measured['magic cell `const q = %gather 1` (median round trip)'] = `${median(magicMs)} ms`;
    assert.ok(median(magicMs) < 2 * median(plainMs) + 50, 'a magic costs about what the TypeScript it becomes costs');
  });

  it('%cluster refresh re-forks the executors; %cluster die stops the cluster', async () => {
    const before = await ok('%cluster status');
    const pids = (s: string) => [...s.matchAll(/^(\d+)\s+tcp:/gm)].map((m) => m[1]);
    const r = await ok('%cluster refresh');
    assert.match(resultText(r), /refreshed: 2 executors re-forked/);
    const after = await ok('%cluster status');
    assert.notDeepEqual(pids(resultText(after)), pids(resultText(before)));
    assert.match(resultText(await ok('%cluster die')), /cluster stopped/);
    assert.equal((await fails('sg.poll()')).errors[0]?.ename, 'NoCluster');
  });

  it('an interrupt also stops a busy loop', async () => {
    const { pending } = await runStarted(kernel, 'let spins = 0;\nwhile (true) spins++;', 500);
    await kernel.interrupt();
    const r = await pending;
    assert.equal(r.status, 'error');
    assert.equal((await ok('2 + 2')).stdout, '4\n');
  });
});
