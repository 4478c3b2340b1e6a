import assert from 'node:assert/strict';
import { FairTaskQueue } from '@scattergather/worker-server';

const A = Buffer.from('controller-a');
const B = Buffer.from('controller-b');

/** Tasks 1–99 are A's, 100 and up B's. */
const queueOf = (): FairTaskQueue => new FairTaskQueue((id) => (id < 100 ? A : B));
const take = (queue: FairTaskQueue, n: number): number[] => Array.from({ length: n }, () => queue.shift() as number);

describe('worker-server/server/fair-task-queue', () => {
  it('serves a controller that queues later at once, in turn with the other, not after the other\'s queue', () => {
    const queue = queueOf();
    for (let id = 1; id <= 50; id++) queue.push(id);
    assert.deepEqual(take(queue, 4), [1, 2, 3, 4]);
    for (let id = 100; id < 104; id++) queue.push(id);
    assert.deepEqual(take(queue, 8), [100, 5, 101, 6, 102, 7, 103, 8]);
    assert.deepEqual(take(queue, 2), [9, 10], 'B is done: A has every executor again');
    assert.equal(queue.length, 40);
  });

  it('does not let a controller make up for the time it had nothing queued', () => {
    const queue = queueOf();
    for (let id = 1; id <= 30; id++) queue.push(id);
    take(queue, 20);
    queue.push(100);
    queue.push(101);
    assert.deepEqual(take(queue, 4), [100, 21, 101, 22], 'B starts level with A, not 20 tasks behind it');
  });

  it('divides by weight: a controller of weight 3 gets three tasks for each of the other\'s', () => {
    const queue = queueOf();
    queue.weigh(B, 3);
    for (let id = 1; id <= 20; id++) queue.push(id);
    for (let id = 100; id < 120; id++) queue.push(id);
    const taken = take(queue, 16);
    assert.equal(taken.filter((id) => id >= 100).length, 12);
    assert.equal(taken.filter((id) => id < 100).length, 4);
  });

  it('puts tasks handed back at the front of their own controller\'s queue', () => {
    const queue = queueOf();
    for (const id of [1, 2, 100]) queue.push(id);
    assert.deepEqual(take(queue, 2), [1, 100]);
    queue.unshift([1]);
    assert.deepEqual(take(queue, 2), [1, 2]);
    queue.removeWhere(() => true);
    assert.equal(queue.length, 0);
    assert.equal(queue.shift(), undefined);
  });
});
