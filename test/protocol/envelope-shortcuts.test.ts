import assert from 'node:assert/strict';
import { Decoder, Encoder, ExtData, type ExtensionCodecType } from '@msgpack/msgpack';
import { decodeMessage, decodeValue, encodeMessage, encodeValue, Payload, PayloadList, PROTOCOL_VERSION, type ClientResultItem, type Message } from '@scattergather/protocol';

/**
 * Envelopes are written and read by shortcuts of their own (envelope-writer.ts,
 * envelope-reader.ts), and plain values skip the generic decoder
 * (plain-reader.ts, from value-codec.ts). Each is held here to what @msgpack/msgpack itself
 * writes and reads.
 */

/** The envelope's Payload extension, as @msgpack/msgpack sees it: what the shortcuts must agree with. */
interface Frames { frames: Uint8Array[]; next: number }
const payloadCodec: ExtensionCodecType<Frames> = {
  __brand: undefined as unknown as ExtensionCodecType<Frames>['__brand'],
  tryToEncode(object: unknown, ctx: Frames): ExtData | null {
    if (!(object instanceof Payload)) return null;
    ctx.frames.push(...object.blobs);
    if (object.blobs.length <= 99) return new ExtData(object.blobs.length, object.body);
    const data = new Uint8Array(4 + object.body.byteLength);
    new DataView(data.buffer).setUint32(0, object.blobs.length);
    data.set(object.body, 4);
    return new ExtData(100, data);
  },
  decode(data: Uint8Array, type: number, ctx: Frames): unknown {
    const counted = type === 100;
    const count = counted ? new DataView(data.buffer, data.byteOffset).getUint32(0) : type;
    const blobs = ctx.frames.slice(ctx.next, ctx.next + count);
    ctx.next += count;
    return new Payload(counted ? data.subarray(4) : data, blobs);
  },
};

/** Frames as @msgpack/msgpack's own encoder writes the message. */
function libraryEncode({ t, ...fields }: Message): Buffer[] {
  const ctx: Frames = { frames: [], next: 0 };
  const head = new Encoder({ extensionCodec: payloadCodec, context: ctx }).encode([PROTOCOL_VERSION, t, fields]);
  return [Buffer.from(head), ...ctx.frames.map((f) => Buffer.from(f))];
}

/** The message as @msgpack/msgpack's own decoder reads these frames. */
function libraryDecode(frames: Uint8Array[]): Message {
  const ctx: Frames = { frames, next: 1 };
  const [, t, fields] = new Decoder({ extensionCodec: payloadCodec, context: ctx }).decode(frames[0] as Uint8Array) as [number, string, object];
  return { ...fields, t } as Message;
}

/** A plain value as @msgpack/msgpack decodes it. */
function libraryDecodeValue(body: Uint8Array): unknown {
  return new Decoder().decode(body);
}

/** Comparable: payloads as their bytes, undefined as null (nil both ways). */
function plain(message: Message): unknown {
  return JSON.parse(JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Payload) return { body: [...value.body], blobs: value.blobs.map((b) => [...b]) };
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    // The envelope writes -0 as the integer 0, as @msgpack/msgpack does (only values keep it: value-encoder.ts).
    if (Object.is(value, -0)) return 0;
    return value === undefined ? null : value;
  }));
}

function decoded(frames: Uint8Array[]): Message {
  const result = decodeMessage(frames);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.message;
}

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);
const NUMBERS = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1, 0.5, -1.25, 1e300, NaN, Infinity, -Infinity, -0];
const STRINGS = ['', 'a', 'x'.repeat(31), 'x'.repeat(32), 'é'.repeat(128), 'y'.repeat(65535), 'z'.repeat(65536), 'naïve ✓ 🎉'];
const BODY_SIZES = [0, 1, 2, 3, 4, 8, 16, 17, 255, 256, 65535, 65536];

const SAMPLES: Array<[string, Message]> = [
  ['a run with every number kind as ids and time limits', { t: 'run', fns: [{ name: 'echo', scope: 's' }], tasks: NUMBERS.map((n, i) => [n, i % 2, new Payload(bytes(3, i)), n]) }],
  ['a run with payload bodies of every length form', { t: 'run', fns: [{ source: 'x => x' }], tasks: BODY_SIZES.map((n, i) => [i, 0, new Payload(bytes(n, i)), 0]), keep: [[1, 's1.0']], inputs: [[1, ['s0.0']]] }],
  ['a done with outputs of every string length form', { t: 'done', results: STRINGS.map((s, i) => [i, i % 2 === 0, new Payload(bytes(1, i)), i / 3, 4000 + i, s]) }],
  ['a done whose payloads carry blobs, 100 or more in one', { t: 'done', results: [1, 2, 99, 100, 120].map((count, i) => [i, true, new Payload(bytes(5, i), Array.from({ length: count }, (_, k) => bytes(3, k))), 1, 2, '']) }],
  ['a results list of 16 and of 70,000 items, with and without a run time', { t: 'results', items: Array.from({ length: 70_000 }, (_, i) => [1, i, true, new Payload(bytes(1, i & 0x7f)), 0, 12, '', ...(i % 3 === 0 ? [] : [i % 3 === 1 ? undefined : 0.25])] as ClientResultItem) }],
  ['an empty list', { t: 'done', results: [] }],
  ['a pong, its executors with and without their optional fields', { t: 'pong', req: -3, executors: [[101, true, 5e7, 0.25, 9], [102, false]], instance: 'a1b2', held: [1, 2, 3], draining: false }],
  ['a reply carrying an error state, and one carrying a value', { t: 'reply', req: 7, ok: false, error: { name: 'RangeError', message: 'naïve ✓', stack: 'x'.repeat(300), code: 'E_X' } }],
  ['a fetched with payloads and nulls', { t: 'fetched', req: 2, values: [new Payload(bytes(2), [bytes(4, 1)]), null, new Payload(bytes(70_000))] }],
  ['an install with a long module source', { t: 'install', req: 1, name: 'mod', code: 'export const x = "é";\n'.repeat(5000) }],
  ['a command naming servers', { t: 'command', req: 9, name: 'add-servers', servers: [{ url: 'tcp://127.0.0.1:5000', key: 'k' } as unknown as never] }],
];

describe('protocol/envelope-shortcuts: messages are read and written as @msgpack/msgpack reads and writes them', () => {
  for (const [what, message] of SAMPLES) {
    it(`${what}: @msgpack/msgpack reads what we write, and we read what it writes`, () => {
      const ours = encodeMessage(message);
      assert.deepEqual(plain(libraryDecode(ours)), plain(message), 'the library reads our bytes');
      assert.deepEqual(plain(decoded(ours)), plain(message), 'we read our bytes');
      const theirs = libraryEncode(message);
      assert.deepEqual(plain(decoded(theirs)), plain(libraryDecode(theirs)), 'we read the library\'s bytes as it does');
    });
  }

  it('leaves what it does not write (a class instance) to the generic encoder, in place and in frame order', () => {
    class Point { constructor(readonly x: number) {} }
    const message = { t: 'done', results: [[1, true, new Payload(bytes(1), [bytes(4, 9)]), new Point(3)], 'stray', [2, false, new Payload(bytes(2), [bytes(2, 3)]), 0, 0, '']] } as unknown as Message;
    const frames = encodeMessage(message);
    assert.equal(frames.length, 3, 'each blob once, in order');
    assert.deepEqual(plain(libraryDecode(frames)), plain(message));
    assert.deepEqual(plain(decoded(frames)), plain(message));
    assert.deepEqual(plain(decoded(libraryEncode(message))), plain(message));
  });

  it('encodes a message that a getter in the fields of another sends meanwhile, both whole, each with its own frames', () => {
    let inner: Buffer[] = [];
    const value = {
      before: new Payload(bytes(1), [bytes(2, 1)]),
      get x(): string {
        inner = encodeMessage({ t: 'fetched', req: 1, values: [new Payload(bytes(1), [bytes(3, 2)])] });
        return 'x';
      },
      after: new Payload(bytes(1), [bytes(4, 3)]),
    };
    const outer = encodeMessage({ t: 'reply', req: 7, ok: true, value });
    assert.deepEqual(plain(decoded(outer)), plain({ t: 'reply', req: 7, ok: true, value: { before: value.before, x: 'x', after: value.after } } as unknown as Message));
    assert.deepEqual(outer.slice(1).map((f) => f.byteLength), [2, 4]);
    assert.deepEqual(plain(decoded(inner)), plain({ t: 'fetched', req: 1, values: [new Payload(bytes(1), [bytes(3, 2)])] }));
  });

  it('round-trips a submit, whose tasks are one payload list with blobs', () => {
    const blob = bytes(100_000, 4);
    const tasks = PayloadList.of([new Payload(bytes(3, 1)), new Payload(bytes(2, 2), [blob]), new Payload(bytes(1, 3))]);
    const back = decoded(encodeMessage({ t: 'submit', set: 4, fn: { name: 'echo' }, tasks })) as Message<'submit'>;
    assert.equal(back.tasks.length, 3);
    assert.deepEqual([...back.tasks.blobs.map((b) => b.byteLength)], [100_000]);
    assert.equal(back.set, 4);
  });

  it('keeps a lone surrogate in printed output as the generic coders do', () => {
    const message: Message = { t: 'done', results: [[1, true, new Payload(bytes(1)), 0, 0, 'half an emoji: \ud83d'], [2, true, new Payload(bytes(1)), 0, 0, 'ok']] };
    assert.deepEqual(plain(decoded(encodeMessage(message))), plain(libraryDecode(libraryEncode(message))));
    assert.equal((decoded(encodeMessage(message)) as Message<'done'>).results[0]?.[5], 'half an emoji: \ud83d');
  });

  it('reads a field that takes a frame before one it leaves to the generic decoder, with every frame in place', () => {
    const blob = bytes(3, 5);
    const message = { t: 'done', extra: new Payload(bytes(1), [blob]), results: [[1, true, new Payload(bytes(1)), 3, 42, 'half an emoji, which the shortcut leaves: \ud83d']] } as unknown as Message;
    const frames = encodeMessage(message);
    assert.deepEqual(plain(decoded(frames)), plain(message));
    const withStray = decodeMessage([...frames, Buffer.from('stray')]);
    assert.equal(withStray.ok, false, 'a frame no payload claims');
  });

  it('writes a big message, then a small one, each whole (its buffer grows, then shrinks)', () => {
    const big: Message = { t: 'done', results: Array.from({ length: 40 }, (_, i) => [i, true, new Payload(bytes(100_000, i)), 0, 0, '']) };
    const small: Message = { t: 'done', results: [[1, true, new Payload(bytes(2)), 0, 0, 'ok']] };
    assert.deepEqual(plain(decoded(encodeMessage(big))), plain(big));
    assert.deepEqual(plain(decoded(encodeMessage(small))), plain(small));
  });

  const refused: Array<[string, number[], string]> = [
    ['a payload in a tuple claiming missing blobs', [0x91, 0x92, 0x01, 0xd4, 0x03, 0x00], 'ERR_MALFORMED'],
    ['an extension no envelope uses, in a tuple', [0x91, 0x92, 0x01, 0xd4, 0x70, 0x00], 'ERR_MALFORMED'],
    ['a negative extension type, in a tuple', [0x91, 0x92, 0x01, 0xd4, 0xff, 0x00], 'ERR_MALFORMED'],
    ['a list that declares more tuples than it holds', [0xdc, 0xff, 0xff, 0x90], 'ERR_MALFORMED'],
  ];
  for (const [what, list, code] of refused) {
    it(`refuses ${what} with ${code}, as the generic decoder does`, () => {
      const head = Buffer.from([0x93, PROTOCOL_VERSION, 0xa4, ...Buffer.from('done'), 0x81, 0xa7, ...Buffer.from('results'), ...list]);
      const result = decodeMessage([head]);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.error.code, code);
    });
  }

  it('refuses a __proto__ field as the generic decoder does, and sets no prototype', () => {
    const head = Buffer.from([0x93, PROTOCOL_VERSION, 0xa4, ...Buffer.from('done'), 0x82, 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa1, 0x78, 0x01, 0xa7, ...Buffer.from('results'), 0x90]);
    const result = decodeMessage([head]);
    assert.equal(result.ok, false);
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });
});

describe('protocol/plain-reader: plain values skip the generic decoder and come back the same', () => {
  const values: unknown[] = [
    [[1]], [[]], [], {}, null, true, false, ...NUMBERS, ...STRINGS,
    [['a', 2, [3, [4, { five: 5, six: [6] }]]], { kw: 1 }],
    { a: { b: { c: { d: 'deep' } } }, 'é': 1, '': 2 },
    Array.from({ length: 70_000 }, (_, i) => i),
  ];
  for (const value of values) {
    const label = typeof value === 'number' ? (Object.is(value, -0) ? '-0' : String(value)) : JSON.stringify(value).slice(0, 40);
    it(`round-trips ${label}`, () => {
      // Strict: -0 stays -0, NaN stays NaN.
      assert.deepEqual(decodeValue(encodeValue(value)), value);
    });
  }

  it('leaves what is not plain to the generic decoder: undefined, a Map, a typed array, deep nesting, a number key', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = [deep];
    const notPlain: unknown[] = [[undefined, 1], new Map([[1, 'a']]), { arr: new Float64Array([1, 2]) }, deep, [new Date(5)], 10n ** 30n];
    for (const value of notPlain) assert.deepEqual(decodeValue(encodeValue(value)), value);
    const numberKey = new Uint8Array([0x81, 0x01, 0xa1, 0x61]);
    assert.deepEqual(decodeValue(new Payload(numberKey)), { 1: 'a' });
  });

  it('reads strings that are not well-formed UTF-8, or open with a BOM, as the generic decoder does', () => {
    for (const value of [{ name: '\ud83d' }, ['\udc00x'], { '\ud800': 1 }, '\ufeff' + 'b'.repeat(300), 'a \ufffd in the text']) {
      assert.deepEqual(decodeValue(encodeValue(value)), libraryDecodeValue(encodeValue(value).body), JSON.stringify(value).slice(0, 30));
    }
    for (const body of [[0xa2, 0xc0, 0xaf], [0xa3, 0xed, 0xa0, 0x80], [0xa1, 0xff], [0x91, 0xa2, 0xe2, 0x82]]) {
      assert.deepEqual(decodeValue(new Payload(Buffer.from(body))), libraryDecodeValue(Buffer.from(body)), body.join(' '));
    }
  });

  it('refuses a __proto__ key as the generic decoder does, and sets no prototype', () => {
    const value = JSON.parse('{"a": {"__proto__": {"polluted": true}}}') as unknown;
    assert.throws(() => decodeValue(encodeValue(value)), (error: Error & { code?: string }) => error.code === 'ERR_DECODE');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
