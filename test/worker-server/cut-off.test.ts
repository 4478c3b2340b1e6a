import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';

// Not part of the package's exports: loaded from its build (this file runs from test/dist/worker-server).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { judgeCutOff } = require(join(resolve(__dirname, '..', '..', '..', 'worker-server', 'dist', 'server'), 'cut-off.js')) as typeof import('../../worker-server/src/server/cut-off.js');

describe('worker-server: judging an executor that is gone', () => {
  const gone = (tasks: number[], departure?: 'retire' | 'replace', overdue?: number) => judgeCutOff({ tasks: new Set(tasks), departure, overdue });

  it('charges the running task when the executor died on its own, and queues the rest again', () => {
    assert.deepEqual(gone([4, 5, 6]), { charged: { id: 4, reason: 'ExecutorCrashed' }, again: [5, 6] });
  });

  it('charges a task sent away for its time limit with TimeoutError, unless its result came meanwhile', () => {
    assert.deepEqual(gone([4, 5], 'replace', 4), { charged: { id: 4, reason: 'TimeoutError' }, again: [5] });
    assert.deepEqual(gone([5, 6], 'replace', 4), { again: [5, 6] }, 'task 4 finished after all: task 5 was only cut off');
  });

  it('charges nothing for a refresh, a cancel or a shutdown, and nothing when it held nothing', () => {
    assert.deepEqual(gone([7, 8], 'replace'), { again: [7, 8] });
    assert.deepEqual(gone([7], 'retire'), { again: [7] });
    assert.deepEqual(gone([]), { again: [] });
  });
});
