import assert from 'node:assert/strict';
import { taggedOutput } from './kernel-modules';

describe('kernel/tagged-output', () => {
  it('tags each line of live output with its task, across chunks that end mid-line', () => {
    const tagged = new taggedOutput.TaggedOutput();
    assert.equal(tagged.tag(3, 'one\ntw'), '[task 3] one\n[task 3] tw');
    assert.equal(tagged.tag(4, 'x\n'), '[task 4] x\n');
    assert.equal(tagged.tag(3, 'o\nthree\n'), 'o\n[task 3] three\n');
  });
});
