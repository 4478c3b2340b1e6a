import assert from 'node:assert/strict';
import { RuntimeWindow } from '@scattergather/protocol';

describe('protocol/flow/runtime-window', () => {
  it('keeps about 2 ms of work in hand: deep for short tasks, 1 for long ones', () => {
    const fast = new RuntimeWindow();
    for (let i = 0; i < 50; i++) fast.observe(0.05);
    assert.equal(fast.window(), 40);
    const slow = new RuntimeWindow();
    slow.observe(500);
    assert.equal(slow.window(), 1);
  });

  for (const bad of [NaN, -1, Infinity, -Infinity]) {
    it(`ignores a run time of ${bad}, which would otherwise stop the server being used`, () => {
      const window = new RuntimeWindow();
      window.observe(bad);
      assert.equal(window.window(), 2, 'still the initial window');
      window.observe(1);
      window.observe(bad);
      assert.equal(window.window(), 2);
      assert.ok(Number.isFinite(window.window()));
    });
  }

  it('a spare per executor while tasks are short, so none idles for a round trip; none for long tasks or before any ran', () => {
    const none = new RuntimeWindow();
    assert.equal(none.spare(), 0);
    const short = new RuntimeWindow();
    for (let i = 0; i < 20; i++) short.observe(100);
    assert.deepEqual([short.window(), short.spare()], [1, 1]);
    const long = new RuntimeWindow();
    long.observe(2000);
    assert.deepEqual([long.window(), long.spare()], [1, 0]);
  });
});
