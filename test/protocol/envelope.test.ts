import assert from 'node:assert/strict';
import { decodeMessage, decodeValue, encodeMessage, encodeValue, PayloadList, PROTOCOL_VERSION, type Message } from '@scattergather/protocol';
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

describe('protocol/envelope with a payload list (submit)', () => {
  const submit = (tasks: PayloadList): Buffer[] => encodeMessage({ t: 'submit', set: 1, fn: { name: 'echo' }, tasks });

  it('round-trips a set\'s tasks as one list, those with blobs taking their frames in order', () => {
    const values = [[1], [new Float64Array(10_000).fill(2)], [], ['x', new Uint8Array(70_000).fill(3), new Int8Array(80_000).fill(-4)], [5]];
    const frames = submit(PayloadList.of(values.map((v) => encodeValue(v))));
    assert.equal(frames.length, 4, 'header plus three blobs');
    const decoded = decodeMessage(frames);
    assert.ok(decoded.ok);
    const { tasks } = decoded.message as Message<'submit'>;
    assert.ok(tasks instanceof PayloadList && tasks.length === values.length);
    values.forEach((value, i) => assert.deepEqual(decodeValue(tasks.at(i)), value));
    const empty = decodeMessage(submit(PayloadList.of([])));
    assert.ok(empty.ok && (empty.message as Message<'submit'>).tasks.length === 0);
  });

  it('gives each of many lists in one message its own frames, in time linear in the lists (30,000: 40 ms here, not 2 s)', () => {
    const blob = new Uint8Array(70_000);
    const lists = Array.from({ length: 30_000 }, (_, i) => PayloadList.of([encodeValue([i]), encodeValue([blob])]));
    const frames = encodeMessage({ t: 'ping', req: 1, lists } as unknown as Message);
    const started = performance.now();
    const decoded = decodeMessage(frames);
    const ms = performance.now() - started;
    assert.ok(decoded.ok);
    const back = (decoded.message as unknown as { lists: PayloadList[] }).lists;
    assert.equal(back.length, 30_000);
    assert.ok(back.every((list, i) => list.blobs.length === 1 && list.blobs[0] === frames[i + 1]), 'list i holds frame i + 1');
    assert.ok(ms < 1000, `decoding took ${ms.toFixed(0)} ms: each list copied the frames after it`);
  });

  it('refuses a list whose offsets run past its bytes or frames, or go backwards', () => {
    const good = submit(PayloadList.of([encodeValue([1]), encodeValue([new Uint8Array(70_000)])]));
    const head = good[0] as Buffer;
    // The list's offsets start 8 bytes into its extension data, which ends the head before the fields after it.
    const at = head.indexOf(Buffer.from([2, 0, 0, 0, 1, 0, 0, 0])) + 8;
    const corrupt = (offset: number, value: number): Buffer => {
      const copy = Buffer.from(head);
      copy.writeUInt32LE(value, at + offset);
      return copy;
    };
    for (const [what, frames] of [
      ['a body past the end', [corrupt(4, 1_000), good[1] as Buffer]],
      ['bodies backwards', [corrupt(0, 1_000), good[1] as Buffer]],
      ['a blob the message lacks', [corrupt(12, 2), good[1] as Buffer]],
      ['no frame for its blob', [head]],
    ] as const) {
      const decoded = decodeMessage([...frames]);
      assert.equal(decoded.ok, false, what);
    }
    assert.equal(decodeMessage([head, good[1] as Buffer]).ok, true, 'the uncorrupted message decodes');
  });
});
