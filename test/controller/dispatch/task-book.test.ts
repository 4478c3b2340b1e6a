import assert from 'node:assert/strict';
import { decodeValue, encodeValue, PayloadList } from '@scattergather/protocol';
import { TaskBook, type TaskRecord } from '@scattergather/controller';

const args = (n: number): PayloadList => PayloadList.of(Array.from({ length: n }, (_, i) => encodeValue([i])));

describe('controller/dispatch/task-book', () => {
  it('keeps every unfinished task, finishes each once, and forgets a set when its last task finishes', () => {
    const book = new TaskBook();
    const set = book.addSet(7, { name: 'echo' }, args(2), 1, undefined);
    assert.equal(book.queued, 2);
    const [a, b] = [book.take(set), book.take(set)] as [TaskRecord, TaskRecord];
    assert.equal(book.queued, 0);
    assert.equal(book.finish(a, true), true);
    assert.equal(book.finish(a, true), false, 'a second finish of the same task');
    assert.ok(book.sets.has(7));
    assert.equal(book.finish(b, false), true);
    assert.equal(book.sets.has(7), false);
    assert.deepEqual([book.done, book.failed, book.tasks.size], [1, 1, 0]);
  });

  it('an empty set is never kept', () => {
    const book = new TaskBook();
    book.addSet(1, { name: 'echo' }, args(0), 0, undefined);
    assert.equal(book.sets.size, 0);
  });

  it('requeues a task in flight at the front of its set, out of flight', () => {
    const book = new TaskBook();
    const set = book.addSet(1, { name: 'echo' }, args(3), 1, undefined);
    const first = book.take(set) as TaskRecord;
    book.flights.send(0, first);
    assert.equal(book.flights.count(0), 1);
    book.requeue(first);
    assert.equal(book.flights.count(0), 0);
    assert.equal(set.queue[set.head], first);
    assert.equal(book.queued, 3);
  });

  it('finishing a task in flight ends its flight; a finished task is never requeued', () => {
    const book = new TaskBook();
    const set = book.addSet(1, { name: 'echo' }, args(1), 1, undefined);
    const task = book.take(set) as TaskRecord;
    book.flights.send(2, task);
    book.finish(task, true);
    assert.equal(book.flights.total, 0);
    book.requeue(task);
    assert.equal(book.queued, 0);
  });

  it('lists the unfinished tasks of one set', () => {
    const book = new TaskBook();
    const one = book.addSet(1, { name: 'echo' }, args(2), 1, undefined);
    book.addSet(2, { name: 'echo' }, args(3), 1, undefined);
    book.finish(book.take(one) as TaskRecord, true);
    assert.deepEqual(book.unfinishedOf(1).map((t) => t.index), [1]);
    assert.equal(book.unfinishedOf(2).length, 3);
    assert.deepEqual(book.unfinishedOf(99), []);
  });

  it('holds a set\'s tasks with no record each until they are taken; a cancel makes the rest', () => {
    const book = new TaskBook();
    const set = book.addSet(1, { name: 'echo' }, args(1000), 1, undefined);
    assert.deepEqual([book.tasks.size, book.queued], [0, 1000]);
    const first = book.take(set) as TaskRecord;
    assert.deepEqual([first.index, book.tasks.size, book.queued], [0, 1, 999]);
    assert.deepEqual(decodeValue(first.args), [0]);
    const unfinished = book.unfinishedOf(1);
    assert.deepEqual(unfinished.map((t) => t.index), Array.from({ length: 1000 }, (_, i) => i));
    assert.deepEqual(decodeValue((unfinished[999] as TaskRecord).args), [999]);
    assert.deepEqual([book.tasks.size, book.queued], [1000, 999], 'each task has one record; those not taken are still queued');
  });
});
