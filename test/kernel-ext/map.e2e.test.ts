import assert from 'node:assert/strict';
import { localCluster, MapError, RemoteError, ScatterGatherError, type ScatterGather, type ScatterSet, type TaskOutput, type TaskResult } from '@scattergather/kernel-ext';

describe('kernel-ext map, set checks and live output on a local cluster', function () {
  this.timeout(60_000);
  let sg: ScatterGather;

  before(async () => {
    sg = await localCluster({ procs: 2 });
    await sg.ready();
  });
  after(async () => {
    await sg?.close();
  });

  it('map runs one task per item and resolves to the results in input order', async () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    assert.deepEqual(await sg.map(async (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms * 10), 60 - ms * 5)), items), items.map((i) => i * 10));
    assert.deepEqual((await sg.map('histogram', [100, 200])).map((h) => h.counts.reduce((a, b) => a + b, 0)), [100, 200]);
    assert.deepEqual(await sg.map((x: number) => x, []), []);
  });

  it('map rejects once with a MapError carrying every RemoteError (with its index) and the results that arrived', async () => {
    const error = await sg.map((x: number) => { if (x % 3 === 1) throw new RangeError(`bad ${x}`); return x * 2; }, [0, 1, 2, 3, 4]).then(
      () => assert.fail('map should reject'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof MapError && error instanceof ScatterGatherError);
    assert.equal(error.code, 'ERR_MAP');
    assert.deepEqual(error.errors.map((e) => [e.index, e.remoteName, e.message]), [[1, 'RangeError', 'bad 1'], [4, 'RangeError', 'bad 4']]);
    assert.ok(error.errors.every((e) => e instanceof RemoteError));
    assert.deepEqual(error.results, [0, undefined, 4, 6, undefined]);
    assert.match(error.message, /2 of 5 tasks of map\(<function>\) failed \(task 1: RangeError: bad 1; task 4: RangeError: bad 4\)/);
  });

  it('a malformed set fails at once with an error naming the bad task, and nothing is queued', async () => {
    const before = sg.sets().length;
    const bad = [[[1]], [[2]], [3]] as unknown as ScatterSet;
    assert.throws(() => sg.addJob(bad, { fn: 'echo' }), (e: unknown) => e instanceof ScatterGatherError && e.code === 'ERR_TASK' && /^task 2 must be \[args\] or \[args, kwargs\]/.test(e.message));
    assert.equal(sg.sets().length, before);
  });

  it('streams what a running task prints, tagged with its index, to onOutput, output(h) and results(h, { output: true })', async () => {
    const talker = async (ms: number) => {
      console.log(`begin ${ms}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      console.log('end');
      return ms;
    };
    const h = sg.addJob([[[10]], [[1500]]], { fn: talker });
    const heard: Array<[number, string, number]> = [];
    sg.onOutput(h, (index, text) => heard.push([index, text, Date.now()]));
    const seen: Array<TaskResult<number> | TaskOutput> = [];
    const started = Date.now();
    for await (const item of sg.results(h, { output: true })) {
      seen.push(item);
      if ('ok' in item || item.index !== 1) continue;
      assert.deepEqual(sg.output(h), ['begin 10\nend\n', 'begin 1500\n'], 'output(h) holds what a running task printed so far');
    }
    const ended = Date.now();
    const live = seen.filter((item): item is TaskOutput => !('ok' in item));
    assert.deepEqual(live.map((c) => [c.set, c.index, c.output]), [[h.id, 1, 'begin 1500\n']], 'the quick task printed and ended in one go; the slow one streamed its first line');
    const last = seen[seen.length - 1];
    assert.ok(last !== undefined && 'ok' in last && last.index === 1 && last.output === 'begin 1500\nend\n', 'the result carries the whole output');
    assert.equal(heard.length, 1);
    assert.ok((heard[0]?.[2] ?? Infinity) < ended - 1000, `the first line came ${(heard[0]?.[2] ?? 0) - started} ms after the start, the result after ${ended - started} ms`);
    assert.deepEqual(sg.output(h), ['begin 10\nend\n', 'begin 1500\nend\n']);
  });
});
