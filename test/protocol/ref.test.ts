import assert from 'node:assert/strict';
import { decodeValue, encodeValue, keptRefId, Ref, replaceTopLevelRefs, setOfRefId, topLevelRefs } from '@scattergather/protocol';

describe('protocol/value/ref', () => {
  it('crosses the value codec as an extension type and comes back a Ref, at the top level or deep inside', () => {
    const back = decodeValue(encodeValue([[new Ref('s3.1', 120), { deep: [new Ref('p2', 9)] }]])) as [[Ref, { deep: Ref[] }]];
    const [[top, { deep }]] = back;
    assert.ok(top instanceof Ref && deep[0] instanceof Ref);
    assert.deepEqual([top.id, top.size, deep[0].id, deep[0].size], ['s3.1', 120, 'p2', 9]);
    assert.equal(String(top), 'Ref(s3.1, 120 bytes)');
  });

  it('finds references only at the top level of a task: each argument and each kwargs value', () => {
    const a = new Ref('s1.0', 1);
    const b = new Ref('p1', 2);
    const task = [[a, 5, [new Ref('s9.9', 1)]], { scale: b, n: 2 }];
    assert.deepEqual(topLevelRefs(task).map((r) => r.id), ['s1.0', 'p1']);
    assert.deepEqual(replaceTopLevelRefs(task, (id) => `<${id}>`), [['<s1.0>', 5, [new Ref('s9.9', 1)]], { scale: '<p1>', n: 2 }]);
    assert.deepEqual(replaceTopLevelRefs([[a]], () => 7), [[7]]);
    assert.deepEqual(topLevelRefs('not a task'), []);
  });

  it('names a kept result by set and index, and tells a kept result\'s set from a put value', () => {
    assert.equal(keptRefId(12, 3), 's12.3');
    assert.equal(setOfRefId('s12.3'), 12);
    assert.equal(setOfRefId('p4'), undefined);
  });
});
