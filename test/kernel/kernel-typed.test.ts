/**
 * The kernel for a TypeScript user, through a real Jupyter server: requests
 * after a failing cell (stop_on_error), functions of a %%remote cell typed in
 * later cells, a compact %gather, and help for map.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel, plain } from '../support/jupyter-kernel';
import { fails as failCell, ok as okCell, resultText, tearDown } from './cells';

describe('kernel: types, stop_on_error and compact results through a real Jupyter server', function () {
  this.timeout(90_000);
  let server: JupyterServer;
  let kernel: TestKernel;
  let rootDir: string;

  const ok = (code: string, timeoutMs?: number) => okCell(kernel, code, timeoutMs);
  const fails = (code: string) => failCell(kernel, code);

  before(async function () {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-kernel-typed-'));
    server = await startJupyterServer({ rootDir });
    kernel = await TestKernel.start(server);
  });

  after(async function () {
    this.timeout(30_000);
    await tearDown(kernel, server, rootDir);
  });

  it('with stop_on_error false, the cell after a failing one runs, sent at once or queued behind it', async () => {
    const failed = await kernel.execute('const broken: number = "text";');
    assert.equal(failed.status, 'error');
    const next = await kernel.execute('1 + 1');
    assert.equal(next.status, 'ok', 'sent at once after the error reply');
    assert.equal(next.stdout, '2\n');
    const queued = await Promise.all([kernel.execute('throw new Error("first")'), kernel.execute('2 + 2'), kernel.execute('3 + 3')]);
    assert.deepEqual(queued.map((r) => r.status), ['error', 'ok', 'ok']);
    assert.deepEqual(queued.slice(1).map((r) => r.stdout), ['4\n', '6\n']);
  });

  it('with stop_on_error true, a failing cell aborts only the requests queued behind it (Run All)', async () => {
    await ok('const ran: string[] = [];');
    const runAll = await Promise.all([
      kernel.execute('ran.push("A");', 30_000, true),
      kernel.execute('throw new Error("stop here")', 30_000, true),
      kernel.execute('ran.push("B");', 30_000, true),
      kernel.execute('ran.push("C");', 30_000, true),
    ]);
    assert.deepEqual(runAll.map((r) => r.status), ['ok', 'error', 'aborted', 'aborted']);
    assert.deepEqual(runAll.slice(2).map((r) => r.executionCount), [null, null], 'an aborted request has no execution count');
    const after = await kernel.execute('ran.join(",")', 30_000, true);
    assert.equal(after.status, 'ok', 'a request sent after the error reply runs');
    assert.equal(after.stdout, 'A\n');
  });

  it('after %%remote, later cells call map and %scatter with its functions, type-checked like local calls', async () => {
    await ok('%cluster local 2', 60_000);
    const inst = await ok('%%remote\nexport function triple(x: number): number {\n  return 3 * x;\n}\nexport const shout = async (s: string) => ({ text: s.toUpperCase(), n: s.length });\nexport const answer = 42;');
    assert.deepEqual(/installed on every executor: (.*)/.exec(resultText(inst))?.[1]?.split(', ').sort(), ['answer', 'shout', 'triple']);
    const mapped = await ok('const tripled: number[] = await sg.map(triple, [1, 2]);\ntripled');
    assert.equal(mapped.stdout, '[ 3, 6 ]\n');
    const shouted = await ok('const loud = await sg.map(shout, ["ab"]);\nconst text: string = loud[0]!.text;\ntext');
    assert.equal(shouted.stdout, 'AB\n');
    const wrongItem = await fails('await sg.map(triple, ["a"]);');
    assert.match(wrongItem.stderr, /Type 'string' is not assignable to type 'number'/);
    const wrongResult = await fails('const s: string[] = await sg.map(triple, [1]);');
    assert.match(wrongResult.stderr, /Type 'number\[\]' is not assignable to type 'string\[\]'/);
    await ok('const th = %scatter triple [[[4]], [[5]]]');
    const typedSet = await fails('%scatter triple [[["x"]]]');
    assert.match(typedSet.stderr, /^1:\d+ - .*not assignable/m);
    const gathered = await ok('const g = %gather th --wait\nconst first: number | Error = g[0]!;\nfirst');
    assert.equal(gathered.stdout, '12\n');
    const local = await fails('triple(2)');
    assert.match(JSON.stringify(local.errors) + local.stderr, /triple lives on the executors, not here: run it with sg\.map\(triple, items\)/);
  });

  it('%gather shows a summary, the first results as a table with a chart, and a note; --all shows every one; the value is the full array', async () => {
    await ok("const inList = Array.from({ length: 40 }, () => [[1000], { distribution: 'normal', loc: 1, scale: 1, bins: 10 }]);\nconst hs = sg.addJob(inList, { fn: 'histogram' });");
    const g = await ok('%gather hs --wait');
    const text = resultText(g);
    assert.match(text, /^set \d+ histogram: 40 results\ntask\s+counts\s+chart\s+range\n/);
    assert.equal(text.match(/^\d+\s+(?:\d+ ){9}\d+\s+[▁▂▃▄▅▆▇█]{10}\s+\[/gm)?.length, 10);
    assert.match(text, /… 30 more not shown: %gather \d+ --all shows every result/);
    assert.match(String(g.results[0]?.['text/html']), /<svg[^>]*class="sg-histogram"/);
    const all = await ok('%gather hs --wait --all');
    assert.equal(resultText(all).match(/^\d+\s+(?:\d+ ){9}\d+\s/gm)?.length, 40);
    const value = await ok('const every = %gather hs --wait\nconst sizes: number[] = every.map((h) => (h instanceof Error ? 0 : h.counts.reduce((a, b) => a + b, 0)));\nsizes.filter((n) => n === 1000).length');
    assert.equal(value.stdout, '40\n');
  });

  it('%gather --wait streams what running tasks print, tagged with their index, before they end', async () => {
    await ok('const talker = async (ms: number) => {\n  console.log(`begin ${ms}`);\n  await new Promise((resolve) => setTimeout(resolve, ms));\n  console.log("end");\n  return ms;\n};');
    await ok('const th2 = %scatter talker [[[1500]], [[1600]]]');
    const g = await ok('%gather th2 --wait');
    const streams = g.messages.filter((m) => m.header.msg_type === 'stream');
    const text = streams.map((m) => (m.content as { text: string }).text).join('');
    assert.match(text, /^\[task 0\] begin 1500$/m);
    assert.match(text, /^\[task 1\] begin 1600$/m);
    const result = g.messages.find((m) => m.header.msg_type === 'execute_result');
    assert.ok(result !== undefined);
    const firstLine = streams.find((m) => /begin/.test((m.content as { text: string }).text));
    const lead = Date.parse(result.header.date) - Date.parse(firstLine?.header.date ?? '');
    assert.ok(lead > 1000, `the first line was streamed ${lead} ms before the results; the tasks sleep 1.5 s after it`);
    assert.match(resultText(g), /--- task 0 printed:\nbegin 1500\nend/, 'the summary still has every task\'s whole output');
  });

  it('completion and Shift-Tab cover map, its options and the new flag and option', async () => {
    assert.ok((await kernel.complete('sg.ma')).matches.includes('map'));
    const help = await kernel.inspect('sg.map', 'sg.map'.length);
    assert.equal(help.status, 'ok');
    assert.match(plain((help as { data: Record<string, unknown> }).data), /map<F extends RemoteFunction>\(fn: F, items: readonly ItemOf<F>\[\], options\?: MapOptions\)/);
    assert.match(plain((help as { data: Record<string, unknown> }).data), /One task per item, `fn\(item\)`/);
    assert.ok((await kernel.complete('sg.map((x: number) => x, [1], { ti')).matches.includes('timeoutMs'));
    assert.ok((await kernel.complete('sg.results(1, { ou')).matches.includes('output'));
    assert.deepEqual((await kernel.complete('%gather --a')).matches, ['--all']);
    const gatherHelp = await kernel.inspect('%gather', 3);
    assert.match(plain((gatherHelp as { data: Record<string, unknown> }).data), /--all shows every result/);
  });
});
