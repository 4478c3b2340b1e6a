import assert from 'node:assert/strict';
import { executeQueue } from './kernel-modules';

const { ExecuteQueue } = executeQueue;
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kernel/execute-queue', () => {
  it('runs requests one at a time, in order', async () => {
    const queue = new ExecuteQueue();
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await later(ms);
      log.push(`${name} end`);
      return true;
    };
    assert.deepEqual(await Promise.all([queue.run(true, step('a', 30)), queue.run(true, step('b', 1))]), ['ok', 'ok']);
    assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end']);
  });

  it('a failure with stop_on_error aborts what is queued behind it, and nothing sent afterwards', async () => {
    const queue = new ExecuteQueue();
    const ran: string[] = [];
    const cell = (name: string, ok: boolean) => async () => {
      ran.push(name);
      return ok;
    };
    const statuses = await Promise.all([queue.run(true, cell('fails', false)), queue.run(true, cell('queued', true)), queue.run(false, cell('queued too', true))]);
    assert.deepEqual(statuses, ['error', 'aborted', 'aborted']);
    assert.equal(await queue.run(true, cell('after', true)), 'ok', 'no time window: the next request runs at once');
    assert.deepEqual(ran, ['fails', 'after']);
  });

  it('a failure without stop_on_error aborts nothing', async () => {
    const queue = new ExecuteQueue();
    const statuses = await Promise.all([queue.run(false, async () => false), queue.run(true, async () => true)]);
    assert.deepEqual(statuses, ['error', 'ok']);
  });
});
