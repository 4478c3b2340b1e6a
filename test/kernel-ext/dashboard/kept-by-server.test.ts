import assert from 'node:assert/strict';
import { keptByServer } from './dashboard-modules';

describe('kernel-ext/dashboard/kept-by-server', () => {
  it('sums the ready references each server holds; pending and failed ones hold nothing yet', () => {
    const rows = keptByServer([
      { id: 's1.0', size: 100, state: 'ready', servers: ['tcp://b:1'] },
      { id: 's1.1', size: 50, state: 'ready', servers: ['tcp://a:1', 'tcp://b:1'] },
      { id: 's1.2', size: 70, state: 'pending', servers: [] },
      { id: 'p1', size: 9, state: 'failed', servers: ['tcp://a:1'] },
    ]);
    assert.deepEqual(rows, [{ server: 'tcp://a:1', values: 1, bytes: 50 }, { server: 'tcp://b:1', values: 2, bytes: 150 }]);
    assert.deepEqual(keptByServer([]), []);
  });
});
