import assert from 'node:assert/strict';
import type { SetProgress } from '@scattergather/kernel-ext';
import { setRates } from './dashboard-modules';

const { SetRates } = setRates;

function progress(id: number, size: number, done: number, failed: number, startedAt: number, finishedAt?: number): SetProgress {
  const p: SetProgress = { handle: { id, fn: 'sleep', size }, done, failed, pending: size - done - failed, complete: done + failed === size, startedAt, results: [] };
  if (finishedAt !== undefined) p.finishedAt = finishedAt;
  return p;
}

describe('kernel-ext/dashboard SetRates', () => {
  it('measures a running set\'s rate over the last seconds and tells the time left', () => {
    const rates = new SetRates();
    rates.rows([progress(1, 1000, 100, 0, 0)], 1000);
    const [row] = rates.rows([progress(1, 1000, 290, 10, 0)], 2000);
    assert.equal(row?.rate, 150, '300 tasks in 2 s since it started');
    assert.equal(row?.eta, 700 / 150);
    const [later] = rates.rows([progress(1, 1000, 900, 0, 0)], 8000);
    assert.equal(later?.rate, (900 - 300) / 6, 'over the samples of the last few seconds');
  });

  it('lists unfinished sets first, then the latest finished, at most twelve; a finished set shows its overall rate', () => {
    const rates = new SetRates();
    const finished = Array.from({ length: 15 }, (_, i) => progress(i + 1, 10, 10, 0, 0, 2000));
    const rows = rates.rows([...finished, progress(16, 10, 1, 0, 0)], 3000);
    assert.deepEqual(rows.map((r) => r.id), [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    assert.equal(rows[1]?.rate, 5);
    assert.equal(rows[1]?.eta, 0);
  });
});
