import assert from 'node:assert/strict';
import { errorFromState, errorStateOf } from '@scattergather/protocol';

describe('protocol/value/error-state', () => {
  it('rebuilds built-in error classes by name', () => {
    const error = errorFromState(errorStateOf(new RangeError('out')));
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, 'out');
  });

  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`an error named '${name}' comes back as an Error with that name, not as whatever Object.prototype has under it`, () => {
      const error = errorFromState({ name, message: 'from a peer' });
      assert.ok(error instanceof Error);
      assert.equal(error.name, name);
      assert.equal(error.message, 'from a peer');
      assert.deepEqual(errorStateOf(error).message, 'from a peer');
    });
  }
});
