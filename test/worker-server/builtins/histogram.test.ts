import assert from 'node:assert/strict';
import { histogram } from '@scattergather/worker-server';

describe('worker-server/builtins/histogram', () => {
  for (const distribution of ['normal', 'uniform', 'lognormal', 'semicircle']) {
    it(`draws ${distribution} samples into bins that sum to size`, () => {
      const { counts, edges } = histogram(5000, { distribution, loc: 1, scale: 2, bins: 12 });
      assert.equal(counts.length, 12);
      assert.equal(edges.length, 13);
      assert.equal(counts.reduce((a, b) => a + b, 0), 5000);
      for (let i = 1; i < edges.length; i++) assert.ok((edges[i] as number) > (edges[i - 1] as number), 'edges increase');
    });
  }

  it('matches each distribution\'s support and centre', () => {
    const centre = (h: { counts: number[]; edges: number[] }): number => {
      let sum = 0;
      h.counts.forEach((c, i) => { sum += c * (((h.edges[i] as number) + (h.edges[i + 1] as number)) / 2); });
      return sum / h.counts.reduce((a, b) => a + b, 0);
    };
    const uniform = histogram(20_000, { distribution: 'uniform', loc: 3, scale: 2 });
    assert.ok(uniform.edges[0]! >= 3 && uniform.edges.at(-1)! <= 5);
    const semicircle = histogram(20_000, { distribution: 'semicircle', loc: 0, scale: 1 });
    assert.ok(semicircle.edges[0]! >= -1 && semicircle.edges.at(-1)! <= 1);
    assert.ok(Math.abs(centre(histogram(20_000, { loc: 1, scale: 1 })) - 1) < 0.1);
    assert.ok(histogram(1000, { distribution: 'lognormal' }).edges[0]! > 0);
  });

  it('uses the contract\'s defaults (normal, loc 1, scale 1, 50 bins)', () => {
    const { counts } = histogram(100);
    assert.equal(counts.length, 50);
  });

  it('rejects bad arguments with RangeErrors that say what is allowed', () => {
    assert.throws(() => histogram(-1), RangeError);
    assert.throws(() => histogram(10, { bins: 0 }), RangeError);
    assert.throws(() => histogram(10, { distribution: 'cauchy' }), /normal, uniform, lognormal, semicircle/);
  });

  it('handles size 0', () => {
    const { counts, edges } = histogram(0, { bins: 4 });
    assert.deepEqual(counts, [0, 0, 0, 0]);
    assert.equal(edges.length, 5);
  });
});
