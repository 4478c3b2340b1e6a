import assert from 'node:assert/strict';
import { encode, ExtData } from '@msgpack/msgpack';
import { decodeValue, encodeValue, keptRefId, Payload, peekValue, ProtocolError, Ref, renameTopLevelRefs, replaceTopLevelRefs, setOfRefId, topLevelRefs } from '@scattergather/protocol';

describe('protocol/value/ref', () => {
  it('crosses the value codec as an extension type and comes back a Ref, at the top level or deep inside', () => {
    const back = decodeValue(encodeValue([[new Ref('s3.1', 120), { deep: [new Ref('p2', 9)] }]])) as [[Ref, { deep: Ref[] }]];
    const [[top, { deep }]] = back;
    assert.ok(top instanceof Ref && deep[0] instanceof Ref);
    assert.deepEqual([top.id, top.size, deep[0].id, deep[0].size], ['s3.1', 120, 'p2', 9]);
    assert.equal(String(top), 'Ref(s3.1, 120 bytes)');
  });

  it('renames top-level references in an encoded task and leaves every other value as its bytes: no class, file or copy needed', () => {
    const big = new Float64Array(10_000).fill(2.5);
    const task = encodeValue([[new Ref('p1', 8), big, -0, new Map([[1, new Ref('deep', 1)]])], { k: new Ref('s1.0', 3), n: 5n }]);
    const renamed = renameTopLevelRefs(task, (id) => new Ref(`here/${id}`, id.length));
    assert.equal(renamed.blobs[0], task.blobs[0], 'the big array\'s blob is passed on, not copied');
    const [[top, array, zero, map], { k, n }] = decodeValue(renamed) as [[Ref, Float64Array, number, Map<number, Ref>], { k: Ref; n: bigint }];
    assert.deepEqual([top.id, top.size, k.id, k.size], ['here/p1', 2, 'here/s1.0', 4]);
    assert.deepEqual([array.length, array[9_999]], [10_000, 2.5]);
    assert.ok(Object.is(zero, -0), '-0 stays -0');
    assert.equal(map.get(1)?.id, 'deep', 'a reference below the top level is left alone');
    assert.equal(n, 5n);
    // A Copyable of a class registered nowhere here (only on executors), and a Map as kwargs: passed on as their bytes.
    const [copyableBytes, mapBytes] = [encode(['registered.only.on.executors', { n: 4 }]), encode([1, 2])];
    const copyable = new ExtData(7, copyableBytes);
    const kwargs = new ExtData(2, mapBytes);
    const foreign = new Payload(encode([[new ExtData(9, encode(['p2', 1])), copyable], kwargs]));
    const [[ref, opaque], passed] = peekValue(renameTopLevelRefs(foreign, (id) => new Ref(`here/${id}`, 5))) as [[Ref, ExtData], ExtData];
    assert.deepEqual([ref.id, ref.size], ['here/p2', 5]);
    assert.deepEqual([opaque.type, Buffer.from(opaque.data as Uint8Array)], [7, Buffer.from(copyableBytes)]);
    assert.deepEqual([passed.type, Buffer.from(passed.data as Uint8Array)], [2, Buffer.from(mapBytes)]);
    assert.throws(() => renameTopLevelRefs(new Payload(new Uint8Array([0x92, 0x01])), (id) => new Ref(id, 0)), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_DECODE');
    // A reference's fields are checked before they are decoded: a declared length past the bytes is refused unread.
    const bomb = new Payload(encode([[new ExtData(9, new Uint8Array([0xdd, 0x7f, 0xff, 0xff, 0xff]))]]));
    assert.throws(() => peekValue(bomb), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_DECODE' && /a length of 2147483647 declared .* does not fit/.test(e.message));
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
