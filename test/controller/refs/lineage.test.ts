import assert from 'node:assert/strict';
import { decodeValue, encodeValue, PayloadList, Ref, type ChannelMessage, type Message } from '@scattergather/protocol';
import { Dispatcher, remakeLost, TaskBook, TaskOutcomes, type DispatchTarget } from '@scattergather/controller';

class FakeServer implements DispatchTarget {
  readonly runs: Array<Message<'run'>> = [];
  readonly url: string;
  constructor(readonly index: number, public room = 100) {
    this.url = `tcp://127.0.0.1:${6000 + index}`;
  }
  capacity(): number { return this.room; }
  send(message: ChannelMessage<'controllerToServer'>): void {
    if (message.t === 'run') this.runs.push(message);
  }
}

/** A book with set 1 kept (two tasks) and set 2 taking each of set 1's references. */
function chain() {
  const book = new TaskBook();
  const outcomes = new TaskOutcomes(book, () => undefined);
  book.addSet(1, { name: 'echo' }, PayloadList.of([encodeValue([[1]]), encodeValue([[2]])]), 1, undefined, { keep: true });
  book.addSet(2, { name: 'echo' }, PayloadList.of([encodeValue([[new Ref('s1.0', -1)]]), encodeValue([[new Ref('s1.1', -1)]])]), 1, undefined, {
    inputs: new Map([[0, ['s1.0']], [1, ['s1.1']]]),
  });
  const servers = [new FakeServer(0), new FakeServer(1)];
  const dispatcher = new Dispatcher(book, servers, (task, ref, error) => outcomes.failInput(task, ref, error));
  /** Answers every task in flight to `server` as its executor would: a kept one with its Ref. */
  const answer = (server: number): void => {
    for (const run of servers[server]!.runs.splice(0)) {
      for (const [wireId] of run.tasks) {
        const task = book.flights.take(server, wireId);
        if (task === undefined) continue;
        const value = task.ref !== undefined ? encodeValue(new Ref(task.ref, 100 + server)) : encodeValue('done');
        outcomes.finish(task, true, value, server, 1, '');
      }
    }
  };
  return { book, outcomes, servers, dispatcher, answer };
}

describe('controller/refs: waiting inputs, placement and lineage', () => {
  it('holds a task back until its input exists, then sends it to the server holding it, with the keep and inputs lists', () => {
    const { book, outcomes, servers, dispatcher } = chain();
    dispatcher.dispatch();
    const sent = servers.flatMap((s) => s.runs.flatMap((r) => r.tasks.length));
    assert.deepEqual(sent, [1, 1], 'only set 1 left: set 2 waits for its inputs');
    assert.deepEqual(servers.map((s) => s.runs[0]?.keep?.map(([, ref]) => ref)), [['s1.0'], ['s1.1']]);
    // s1.1 is made on server 1: its dependant goes to server 1, and carries where s1.1 is (nothing to fetch).
    const [wire] = servers[1]!.runs.splice(0)[0]!.tasks[0]!;
    outcomes.finish(book.flights.take(1, wire)!, true, encodeValue(new Ref('s1.1', 5000)), 1, 1, '');
    dispatcher.dispatch();
    const run = servers[1]!.runs[0]!;
    assert.deepEqual(run.inputs, [[run.tasks[0]![0], ['s1.1']]]);
    assert.equal(run.sources, undefined);
    assert.equal(book.refs.get('s1.1')?.size, 5000);
  });

  it('makes a reference again when its only server is lost, and fails a dependant once it cannot be made again, naming it', () => {
    const { book, outcomes, servers, dispatcher, answer } = chain();
    dispatcher.dispatch();
    answer(0);
    answer(1);
    // Both of set 1's references exist; lose server 0 before set 2 runs.
    for (const s of servers) s.runs.splice(0);
    for (const task of book.flights.takeAll(0)) outcomes.requeue(task);
    remakeLost(book, outcomes, 0, servers[0]!.url);
    assert.equal(book.refs.get('s1.0')?.state, 'pending', 's1.0 is being made again');
    servers[0]!.room = 0;
    dispatcher.dispatch();
    const remade = servers[1]!.runs.flatMap((r) => r.keep ?? []).map(([, ref]) => ref);
    assert.ok(remade.includes('s1.0'), `the task that made s1.0 runs again on server 1: ${JSON.stringify(remade)}`);
    answer(1);
    assert.equal(book.refs.get('s1.0')?.state, 'ready');
    assert.deepEqual([...book.refs.get('s1.0')!.holders], [1]);
    // Its only holder now is server 1; losing that too is past its retries (1): its dependant, queued again, fails.
    remakeLost(book, outcomes, 1, servers[1]!.url);
    assert.equal(book.refs.get('s1.0')?.state, 'failed');
    dispatcher.dispatch();
    const failures = outcomes.takeResults().filter(([set, , ok]) => set === 2 && !ok).map(([, , , value]) => decodeValue(value) as Error);
    assert.ok(failures.some((e) => /s1\.\d was lost with worker server tcp:\/\/127\.0\.0\.1:6001 and cannot be made again/.test(e.message)), failures.map((e) => e.message).join('; '));
  });

  it('fails a task whose input is unknown (released, or another client\'s) with a RefError naming it', () => {
    const book = new TaskBook();
    const outcomes = new TaskOutcomes(book, () => undefined);
    book.addSet(7, { name: 'echo' }, PayloadList.of([encodeValue([[new Ref('p9', 1)]])]), 0, undefined, { inputs: new Map([[0, ['p9']]]) });
    new Dispatcher(book, [new FakeServer(0)], (task, ref, error) => outcomes.failInput(task, ref, error)).dispatch();
    const [result] = outcomes.takeResults();
    assert.equal(result?.[2], false);
    const error = decodeValue(result![3]) as Error;
    assert.equal(error.name, 'RefError');
    assert.match(error.message, /input p9: reference p9 is not known here/);
  });
});
