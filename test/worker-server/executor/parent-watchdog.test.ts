import assert from 'node:assert/strict';
import { ParentWatch } from '@scattergather/worker-server';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('worker-server/executor/parent-watchdog: when the watchdog starts', () => {
  it('once the executor has been idle 200 ms, and only once', async () => {
    let starts = 0;
    const watch = new ParentWatch(() => { starts += 1; });
    watch.idle();
    watch.idle();
    await sleep(100);
    assert.equal(starts, 0, 'not yet');
    await sleep(250);
    assert.equal(starts, 1);
    watch.idle();
    watch.busy();
    await sleep(250);
    assert.equal(starts, 1, 'started once');
  });

  it('not while tasks keep coming in its first second; before the first task after it, busy or not', async () => {
    let starts = 0;
    const watch = new ParentWatch(() => { starts += 1; });
    for (let t = 0; t < 9; t++) {
      watch.idle();
      await sleep(100);
      watch.busy();
    }
    assert.equal(starts, 0, 'never idle 200 ms, and under a second up');
    await sleep(200);
    watch.busy();
    assert.equal(starts, 1, 'up a second: started before the next task runs');
  });
});
