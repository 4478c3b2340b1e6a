import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { localCluster, type ScatterSet } from '@scattergather/kernel-ext';
import { SHARED_DIR_PREFIX } from '@scattergather/protocol';
import { killAll } from '../support/processes';

const SHM = existsSync('/dev/shm') ? '/dev/shm' : undefined;

function sharedDirs(): string[] {
  return SHM === undefined ? [] : readdirSync(SHM).filter((name) => name.startsWith(SHARED_DIR_PREFIX));
}

describe('kernel-ext shared memory on a local cluster (real processes)', function () {
  this.timeout(60_000);
  afterEach(killAll);

  it('big typed-array arguments reach the executors through /dev/shm, intact, and their files go with the client', async () => {
    assert.ok(SHM !== undefined, 'this machine has /dev/shm');
    const before = new Set(sharedDirs());
    const c = await localCluster({ servers: 1, procs: 2 });
    try {
      await c.ready();
      const mine = sharedDirs().filter((name) => !before.has(name));
      assert.equal(mine.length, 1, 'the client made one shared directory');
      const dir = join(SHM, mine[0] as string);
      const n = 1 << 17;
      const set: ScatterSet = Array.from({ length: 6 }, (_, i) => [[new Float64Array(n).fill(i + 0.5), new Int32Array(n).fill(-i)]]);
      const h = c.addJob(set, { fn: (x: Float64Array, y: Int32Array) => [x.constructor.name, x.reduce((a, b) => a + b, 0), y.constructor.name, y.reduce((a, b) => a + b, 0)] });
      assert.equal(readdirSync(dir).length, 12, 'each big array was written once, at addJob');
      const results = await c.waitForResult(h, { timeoutMs: 30_000 });
      assert.deepEqual(results, set.map((_, i) => ['Float64Array', (i + 0.5) * n, 'Int32Array', (0 - i) * n]));
      // Released files are kept for reuse: the next set writes over them instead of making new ones.
      await c.waitForResult(c.addJob(set.slice(0, 3), { fn: (x: Float64Array) => x[0] }), { timeoutMs: 30_000 });
      assert.equal(readdirSync(dir).length, 12, 'the second set reused the first set\'s files');
    } finally {
      await c.close();
    }
    assert.deepEqual(sharedDirs().filter((name) => !before.has(name)), [], 'close removed the shared directory');
  });
});
