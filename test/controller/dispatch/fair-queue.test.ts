import assert from 'node:assert/strict';
import { encodeValue, PayloadList } from '@scattergather/protocol';
import { FairQueue, TaskBook, type TaskRecord } from '@scattergather/controller';

const args = (n: number): PayloadList => PayloadList.of(Array.from({ length: n }, (_, i) => encodeValue([i])));
const names = (tasks: TaskRecord[]) => tasks.map((t) => `${t.set.id}:${t.index}`);

describe('controller/dispatch/fair-queue', () => {
  it('takes round-robin across sets, one task at a time', () => {
    const book = new TaskBook();
    book.addSet(1, { name: 'echo' }, args(3), 0, undefined);
    book.addSet(2, { name: 'echo' }, args(1), 0, undefined);
    const queue = new FairQueue(book);
    assert.deepEqual(names(queue.take(3)), ['1:0', '2:0', '1:1']);
    assert.deepEqual(names(queue.take(5)), ['1:2']);
    assert.deepEqual(queue.take(5), []);
  });

  it('skips a queued task that was finished meanwhile (cancelled), and takes a requeued one first', () => {
    const book = new TaskBook();
    const set = book.addSet(1, { name: 'echo' }, args(3), 0, undefined);
    const queue = new FairQueue(book);
    const [first] = queue.take(1) as [TaskRecord];
    // A cancel gives the tasks never taken their records (queued); one of them finishes.
    book.finish(book.unfinishedOf(set.id).find((t) => t.index === 1) as TaskRecord, false);
    book.requeue(first);
    assert.deepEqual(names(queue.take(3)), ['1:0', '1:2']);
  });
});
