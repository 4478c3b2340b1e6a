import assert from 'node:assert/strict';
import { errors, runtimeChecks } from './kernel-modules';

describe('kernel runtime checks: which set a magic means', () => {
  const earlier = Object.freeze({ id: 1, fn: 'echo', size: 1 });
  const current = [Object.freeze({ id: 1, fn: 'pid', size: 2 }), Object.freeze({ id: 2, fn: 'echo', size: 3 })];

  it('a number names this cluster\'s set; a handle only if it is one of this cluster\'s own', () => {
    assert.equal(runtimeChecks.resolveSet(2, current), current[1]);
    assert.equal(runtimeChecks.resolveSet(current[0], current), current[0]);
    assert.equal(runtimeChecks.resolveSet(undefined, current), current[1], 'no handle: the newest set');
  });

  it('a handle kept from an earlier cluster never passes for this one\'s set of the same id', () => {
    assert.throws(() => runtimeChecks.resolveSet(earlier, current), (e: InstanceType<typeof errors.KernelError>) => {
      assert.ok(e instanceof errors.KernelError);
      assert.match(e.message, /set 1 of an earlier cluster, not of this one/);
      return true;
    });
  });
});
