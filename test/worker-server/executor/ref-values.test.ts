import assert from 'node:assert/strict';
import { encodeValue, Ref, type Message } from '@scattergather/protocol';
import { RefValues } from '@scattergather/worker-server';

describe('worker-server/executor/ref-values', () => {
  it('fetches a reference once, keeps its decoded value, and fetches it again once the server says it was dropped', async () => {
    const asked: Array<Message<'fetch'>> = [];
    const values: RefValues = new RefValues((message) => {
      asked.push(message);
      queueMicrotask(() => values.settle({ t: 'fetched', req: message.req, values: message.refs.map(() => encodeValue([1, 2, 3])) }));
    });
    const task = [[new Ref('owner/s1.0', 24)]];
    assert.deepEqual(await values.fillIn(task), [[[1, 2, 3]]]);
    assert.deepEqual(values.fillIn(task), [[[1, 2, 3]]], 'the second task finds it here, synchronously');
    assert.equal(asked.length, 1);
    values.drop(['owner/s1.0', 42, 'owner/unknown']);
    assert.deepEqual(await values.fillIn(task), [[[1, 2, 3]]]);
    assert.equal(asked.length, 2, 'asked again after the drop');
  });
});
