import assert from 'node:assert/strict';
import { encodeValue, PayloadList } from '@scattergather/protocol';
import { FlightLedger, TaskBook, type TaskRecord } from '@scattergather/controller';

function tasks(n: number): TaskRecord[] {
  const book = new TaskBook();
  const set = book.addSet(1, { name: 'echo' }, PayloadList.of(Array.from({ length: n }, (_, i) => encodeValue([i]))), 2, undefined);
  return Array.from({ length: n }, () => book.take(set) as TaskRecord);
}

describe('controller/dispatch/flight-ledger', () => {
  it('gives each send a fresh wire id, and answers only for the server it was sent to', () => {
    const ledger = new FlightLedger();
    const [a, b] = tasks(2) as [TaskRecord, TaskRecord];
    const idA = ledger.send(0, a);
    const idB = ledger.send(1, b);
    assert.notEqual(idA, idB);
    assert.equal(ledger.find(1, idA), undefined, 'not in flight to that server');
    assert.equal(ledger.find(0, idA), a, 'found, and left in flight');
    assert.equal(ledger.take(1, idA), undefined, 'an answer from a server the task was not sent to');
    assert.equal(ledger.take(0, 'x'), undefined, 'an id that is not a number');
    assert.equal(ledger.take(0, idA), a);
    assert.equal(a.server, -1);
    assert.equal(ledger.take(0, idA), undefined, 'a second answer for the same run');
    assert.equal(ledger.count(1), 1);
  });

  it('ignores an answer about an earlier attempt of a task sent again', () => {
    const ledger = new FlightLedger();
    const [a] = tasks(1) as [TaskRecord];
    const first = ledger.send(0, a);
    ledger.land(a);
    const second = ledger.send(0, a);
    assert.equal(ledger.take(0, first), undefined);
    assert.equal(ledger.take(0, second), a);
  });

  it('takes every task of a lost server at once, and forgets its pings', () => {
    const ledger = new FlightLedger();
    const all = tasks(3);
    for (const task of all) ledger.send(0, task);
    ledger.markPing(0, -1);
    assert.deepEqual(ledger.takeAll(0), all);
    assert.equal(ledger.count(0), 0);
    assert.equal(ledger.total, 0);
    assert.deepEqual(ledger.reconcile(0, -1, []), [], 'no mark left');
  });

  it('reconciles: sent before the ping, neither held nor answered, is missing; sent after it is not', () => {
    const ledger = new FlightLedger();
    const [dropped, held, answered, late] = tasks(4) as [TaskRecord, TaskRecord, TaskRecord, TaskRecord];
    ledger.send(0, dropped);
    const heldId = ledger.send(0, held);
    const answeredId = ledger.send(0, answered);
    ledger.markPing(0, -1);
    ledger.send(0, late);
    ledger.take(0, answeredId);
    assert.deepEqual(ledger.reconcile(0, -1, [heldId]), [dropped]);
    assert.equal(dropped.server, -1, 'no longer in flight');
    assert.equal(ledger.count(0), 2, 'the held one and the one sent after the ping stay in flight');
  });

  it('uses the mark of the ping that was answered, and drops older marks (their pongs were lost)', () => {
    const ledger = new FlightLedger();
    const [first, second] = tasks(2) as [TaskRecord, TaskRecord];
    ledger.send(0, first);
    ledger.markPing(0, -1);
    ledger.send(0, second);
    ledger.markPing(0, -2);
    assert.deepEqual(ledger.reconcile(0, -2, []), [first, second]);
    assert.deepEqual(ledger.reconcile(0, -1, []), [], 'the older mark went with the newer pong');
    assert.deepEqual(ledger.reconcile(0, 7, []), [], 'a pong to a ping we did not mark reconciles nothing');
  });

  it('remembers a bounded number of unanswered pings (a server that is down answers none)', () => {
    const ledger = new FlightLedger();
    const [task] = tasks(1) as [TaskRecord];
    ledger.send(0, task);
    for (let req = -1; req >= -10_000; req--) ledger.markPing(0, req);
    assert.deepEqual(ledger.reconcile(0, -1, []), [], 'the oldest marks were dropped');
    assert.deepEqual(ledger.reconcile(0, -10_000, []), [task], 'the newest is kept');
  });
});
