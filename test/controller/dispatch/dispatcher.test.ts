import assert from 'node:assert/strict';
import { encodeValue, PayloadList, type ChannelMessage, type Message } from '@scattergather/protocol';
import { Dispatcher, TaskBook, type DispatchTarget } from '@scattergather/controller';

class FakeServer implements DispatchTarget {
  readonly runs: Array<Message<'run'>> = [];
  readonly url: string;
  constructor(readonly index: number, public room: number) {
    this.url = `tcp://127.0.0.1:${5000 + index}`;
  }
  capacity(): number { return this.room; }
  send(message: ChannelMessage<'controllerToServer'>): void {
    if (message.t === 'run') this.runs.push(message);
  }
}

const args = (n: number): PayloadList => PayloadList.of(Array.from({ length: n }, (_, i) => encodeValue([i])));

describe('controller/dispatch/dispatcher', () => {
  it('deals tasks one at a time round the servers, each share as one message, within each server\'s room', () => {
    const book = new TaskBook();
    book.addSet(1, { name: 'echo' }, args(5), 0, undefined);
    const servers = [new FakeServer(0, 1), new FakeServer(1, 10), new FakeServer(2, 0)];
    new Dispatcher(book, servers).dispatch();
    assert.deepEqual(servers.map((s) => s.runs.map((r) => r.tasks.length)), [[1], [4], []]);
    assert.deepEqual(servers.map((s) => book.flights.count(s.index)), [1, 4, 0], 'each task sent is in flight to its server');
    const [run] = servers[1]!.runs;
    assert.deepEqual(run!.fns, [{ name: 'echo' }]);
    assert.deepEqual(run!.tasks.map(([, fn]) => fn), [0, 0, 0, 0]);
  });

  it('counts what a server holds against its room, and sends nothing when none is left', () => {
    const book = new TaskBook();
    book.addSet(1, { name: 'echo' }, args(6), 0, undefined);
    const server = new FakeServer(0, 4);
    const dispatcher = new Dispatcher(book, [server]);
    dispatcher.dispatch();
    dispatcher.dispatch();
    assert.deepEqual(server.runs.map((r) => r.tasks.length), [4]);
    server.room = 6;
    dispatcher.dispatch();
    assert.deepEqual(server.runs.map((r) => r.tasks.length), [4, 2]);
  });

  it('sends the wire ids the ledger gave, one function table entry per set, and each set\'s time limit', () => {
    const book = new TaskBook();
    book.addSet(1, { name: 'echo' }, args(1), 0, 500);
    book.addSet(2, { source: '(x) => x' }, args(1), 0, undefined);
    const server = new FakeServer(3, 10);
    new Dispatcher(book, [server]).dispatch();
    const [run] = server.runs;
    assert.deepEqual(run!.fns, [{ name: 'echo' }, { source: '(x) => x' }]);
    assert.deepEqual(run!.tasks.map(([, fn, , timeoutMs]) => [fn, timeoutMs]), [[0, 500], [1, 0]]);
    for (const [wireId] of run!.tasks) assert.ok(book.flights.take(3, wireId) !== undefined);
  });
});
