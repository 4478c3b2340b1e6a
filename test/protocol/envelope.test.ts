import assert from 'node:assert/strict';
import { decodeMessage, decodeValue, encodeMessage, encodeValue, PROTOCOL_VERSION, type Message } from '@scattergather/protocol';
import { encode } from '@msgpack/msgpack';

describe('protocol/envelope', () => {
  it('round-trips a batch whose payloads carry blobs as frames of their own', () => {
    const big = new Float64Array(20_000).fill(1);
    const message: Message = { t: 'run', fns: [{ name: 'echo' }], tasks: [[1, 0, encodeValue([[big]]), 0], [2, 0, encodeValue([['small']]), 0]] };
    const frames = encodeMessage(message);
    assert.equal(frames.length, 2, 'header plus one blob');
    const decoded = decodeMessage(frames);
    assert.ok(decoded.ok);
    const run = decoded.message as Message<'run'>;
    assert.equal(run.t, 'run');
    assert.deepEqual(run.fns, [{ name: 'echo' }]);
    assert.deepEqual(decodeValue(run.tasks[1]![2]), [['small']]);
    const [[args]] = [decodeValue(run.tasks[0]![2]) as [[Float64Array]]];
    assert.ok(args[0] instanceof Float64Array && args[0].length === 20_000);
  });

  const cases: Array<[string, Buffer[], string]> = [
    ['no frames', [], 'ERR_EMPTY'],
    ['random bytes', [Buffer.from([0xc1, 0xff, 0x00])], 'ERR_MALFORMED'],
    ['not an array', [Buffer.from(encode({ t: 'ping' }))], 'ERR_MALFORMED'],
    ['another version', [Buffer.from(encode([PROTOCOL_VERSION + 1, 'ping', { req: 1 }]))], 'ERR_VERSION'],
    ['an unknown type', [Buffer.from(encode([PROTOCOL_VERSION, 'launch', {}]))], 'ERR_UNKNOWN_TYPE'],
    ['a prototype key as type', [Buffer.from(encode([PROTOCOL_VERSION, '__proto__', {}]))], 'ERR_UNKNOWN_TYPE'],
    ['a missing field', [Buffer.from(encode([PROTOCOL_VERSION, 'ping', {}]))], 'ERR_SHAPE'],
    ['a field of the wrong kind', [Buffer.from(encode([PROTOCOL_VERSION, 'run', { fns: 'x', tasks: [] }]))], 'ERR_SHAPE'],
    ['frames no payload claims', [Buffer.from(encode([PROTOCOL_VERSION, 'ping', { req: 1 }])), Buffer.from('extra')], 'ERR_SHAPE'],
    ['a payload claiming missing blobs', [Buffer.from([0x93, PROTOCOL_VERSION, 0xa4, ...Buffer.from('done'), 0x81, 0xa7, ...Buffer.from('results'), 0x91, 0xd6, 0x05, 0, 0, 0, 9])], 'ERR_MALFORMED'],
    ['an extension no envelope uses', [Buffer.from([0x93, PROTOCOL_VERSION, 0xa4, ...Buffer.from('done'), 0x81, 0xa7, ...Buffer.from('results'), 0x91, 0xd6, 0x70, 0, 0, 0, 9])], 'ERR_MALFORMED'],
  ];
  for (const [what, frames, code] of cases) {
    it(`returns ${code} for ${what}, without throwing`, () => {
      const decoded = decodeMessage(frames);
      assert.equal(decoded.ok, false);
      if (!decoded.ok) assert.equal(decoded.error.code, code);
    });
  }
});

describe('protocol/envelope with many blobs in one payload', () => {
  it('counts blobs past what fits in the extension type', () => {
    const arrays = Array.from({ length: 120 }, (_, i) => new Uint8Array(70_000).fill(i));
    const frames = encodeMessage({ t: 'done', results: [[1, true, encodeValue(arrays), 0, 1, '']] });
    assert.equal(frames.length, 121);
    const decoded = decodeMessage(frames);
    assert.ok(decoded.ok);
    const back = decodeValue((decoded.message as Message<'done'>).results[0]![2]) as Uint8Array[];
    assert.equal(back.length, 120);
    assert.equal(back[119]?.[69_999], 119);
  });
});
