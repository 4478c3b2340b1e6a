import assert from 'node:assert/strict';
import { taskLanes } from './dashboard-modules';

const { laneKey, STREAM_WINDOW_MS, TaskLanes } = taskLanes;

const URLS = ['tcp://127.0.0.1:5555', 'tcp://127.0.0.1:5556'];
const urlOf = (i: number): string => URLS[i] ?? '?';

describe('kernel-ext/dashboard TaskLanes', () => {
  it('gives each executor a lane and a long task a bar of its own', () => {
    const lanes = new TaskLanes();
    lanes.add(0, 100, urlOf, 1, true, 500, 10_500, 1);
    lanes.add(0, 100, urlOf, 1, true, 400, 10_900, 1);
    lanes.add(1, 100, urlOf, 1, false, 300, 10_900, 1);
    assert.deepEqual(lanes.rows(), [{ lane: laneKey(URLS[0] as string, 100), server: URLS[0], pid: 100 }, { lane: laneKey(URLS[1] as string, 100), server: URLS[1], pid: 100 }]);
    const bars = lanes.barsAfter(0);
    assert.deepEqual(bars.map(([, lane, start, end, set, tasks, failed]) => [lane.endsWith(' 100'), start, end, set, tasks, failed]), [
      [true, 10_000, 10_500, 1, 1, 0],
      [true, 10_500, 10_900, 1, 1, 0],
      [true, 10_600, 10_900, 1, 1, 1],
    ]);
  });

  it('merges short tasks of one set run back to back, so a fast set holds few bars', () => {
    const lanes = new TaskLanes();
    // 10,000 tasks of 0.1 ms over one second, arriving in batches of 100 every 10 ms.
    for (let batch = 0; batch < 100; batch++) for (let i = 0; i < 100; i++) lanes.add(0, 7, urlOf, 3, i !== 5, 0.1, 1000 + batch * 10, 1);
    const bars = lanes.barsAfter(0);
    assert.ok(bars.length <= 12, `${bars.length} bars for a second of short tasks`);
    assert.equal(bars.reduce((n, b) => n + b[5], 0), 10_000, 'every task is counted in a bar');
    assert.equal(bars.reduce((n, b) => n + b[6], 0), 100, 'and every failure');
  });

  it('starts a new bar after a long one or an idle gap, and reports only bars changed after a generation', () => {
    const lanes = new TaskLanes();
    lanes.add(0, 7, urlOf, 1, true, 150, 1000, 1);
    lanes.add(0, 7, urlOf, 2, true, 1, 1001, 1);
    lanes.add(0, 7, urlOf, 2, true, 1, 1500, 2);
    assert.deepEqual(lanes.barsAfter(0).map((b) => b[4]), [1, 2, 2]);
    assert.deepEqual(lanes.barsAfter(1).map((b) => b[4]), [2]);
  });

  it('a long task of another set gets a bar of its own after a short bar', () => {
    const lanes = new TaskLanes();
    lanes.add(0, 7, urlOf, 1, true, 30, 1000, 1);
    lanes.add(0, 7, urlOf, 2, false, 5000, 6001, 1);
    assert.deepEqual(lanes.barsAfter(0).map((b) => [b[4], b[5], b[6]]), [[1, 1, 0], [2, 1, 1]]);
  });

  it('two sets run side by side (dealt task by task) still hold few bars', () => {
    const lanes = new TaskLanes();
    for (let batch = 0; batch < 100; batch++) for (let i = 0; i < 100; i++) lanes.add(0, 7, urlOf, 1 + (i % 2), true, 0.1, 1000 + batch * 10, 1);
    const bars = lanes.barsAfter(0);
    assert.ok(bars.length <= 12, `${bars.length} bars for a second of short tasks of two sets`);
    assert.equal(bars.reduce((n, b) => n + b[5], 0), 10_000, 'every task is counted in a bar');
  });

  it('forgets bars older than the window, and empty lanes of executors that are gone', () => {
    const lanes = new TaskLanes();
    lanes.add(0, 7, urlOf, 1, true, 5, 1000, 1);
    lanes.add(0, 8, urlOf, 1, true, 5, 1000, 1);
    lanes.add(0, -1, urlOf, 1, false, 0, 1000, 1);
    assert.equal(lanes.rows().length, 2, 'no lane for a result no executor made');
    lanes.prune(1000 + STREAM_WINDOW_MS + 1, new Set([laneKey(URLS[0] as string, 8)]));
    assert.deepEqual(lanes.barsAfter(0), []);
    assert.deepEqual(lanes.rows().map((r) => r.pid), [8]);
  });
});
