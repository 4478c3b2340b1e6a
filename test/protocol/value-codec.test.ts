import assert from 'node:assert/strict';
import { appendValue, decodeValue, encodeValue, Payload, PayloadListBuilder, ProtocolError, registerCopyable } from '@scattergather/protocol';

class Point {
  constructor(public x: number, public y: number) {}
  norm(): number { return Math.hypot(this.x, this.y); }
}

class Secretive {
  private hidden: number[] = [];
  constructor(values: number[] = []) { this.hidden = values; }
  getStateToCopy(): unknown { return { v: this.hidden }; }
  setCopyableState(state: { v: number[] }): void { this.hidden = state.v; }
  sum(): number { return this.hidden.reduce((a, b) => a + b, 0); }
}

registerCopyable('test.Point', Point);
registerCopyable('test.Secretive', Secretive);

function roundTrip<T>(value: T): T {
  return decodeValue(encodeValue(value)) as T;
}

describe('protocol/value-codec', () => {
  it('keeps primitives, null and undefined apart', () => {
    for (const value of [0, -0, 1.5, -7, 2 ** 53 - 1, NaN, Infinity, 'héllo', '', true, false, null, undefined]) {
      assert.ok(Object.is(roundTrip(value), value), `round trip of ${String(value)}`);
    }
    assert.deepEqual(roundTrip([1, undefined, null]), [1, undefined, null]);
    const obj = roundTrip({ a: undefined, b: null });
    assert.ok('a' in obj && obj.a === undefined && obj.b === null);
  });

  it('keeps BigInt of any size', () => {
    for (const value of [0n, 1n, -1n, 2n ** 64n, -(3n ** 100n)]) assert.equal(roundTrip(value), value);
  });

  it('keeps Map, Set and Date, nested', () => {
    const value = new Map<unknown, unknown>([[1, 'one'], ['set', new Set([1, 'x', new Date(5)])], [{ k: 1 }, new Map([[2n, [3]]])]]);
    const back = roundTrip(value);
    assert.ok(back instanceof Map);
    assert.deepEqual(back, value);
    const date = roundTrip(new Date('2026-11-25T12:00:00.123Z'));
    assert.ok(date instanceof Date);
    assert.equal(date.toISOString(), '2026-11-25T12:00:00.123Z');
  });

  it('keeps every typed array as itself, inline and out of band', () => {
    const ctors = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
    for (const Ctor of ctors) {
      for (const length of [0, 3, 40_000]) {
        const array = new Ctor(length).map((_, i) => (i % 100) + 1);
        const back = roundTrip(array);
        assert.equal(back.constructor, Ctor, `${Ctor.name}[${length}]`);
        assert.deepEqual(back, array);
      }
    }
    for (const Ctor of [BigInt64Array, BigUint64Array]) {
      const array = new Ctor([1n, 2n ** 40n]);
      assert.deepEqual(roundTrip(array), array);
    }
    const buffer = roundTrip(Buffer.from('bytes'));
    assert.ok(Buffer.isBuffer(buffer));
    assert.equal(buffer.toString(), 'bytes');
    const view = roundTrip(new DataView(new Uint8Array([1, 2, 3]).buffer));
    assert.ok(view instanceof DataView && view.getUint8(2) === 3);
    const arrayBuffer = roundTrip(new Uint8Array([9, 8]).buffer);
    assert.ok(arrayBuffer instanceof ArrayBuffer && new Uint8Array(arrayBuffer)[1] === 8);
  });

  it('sends a large typed array as a blob of its own, without copying it', () => {
    const big = new Float64Array(1 << 17).fill(2.5);
    const payload = encodeValue({ big });
    assert.equal(payload.blobs.length, 1);
    assert.equal(payload.blobs[0]?.buffer, big.buffer, 'the blob is a view of the caller\'s memory');
    assert.ok(payload.body.byteLength < 64);
    const back = decodeValue(payload) as { big: Float64Array };
    assert.ok(back.big instanceof Float64Array);
    assert.equal(back.big.length, big.length);
    assert.equal(back.big[12345], 2.5);
  });

  it('refuses a blob named twice in one value (our encoder never does): 100,000 names of one 1 MiB blob would decode to 100 GiB of copies', () => {
    const big = new ArrayBuffer(1 << 17);
    const payload = encodeValue([big, big]);
    assert.equal(payload.blobs.length, 2, 'the same memory twice is sent as two blobs');
    assert.equal((decodeValue(payload) as ArrayBuffer[]).length, 2);
    // The second reference (ext 8: c7 05 05, kind, u32 index) names blob 0 again.
    const body = Buffer.from(payload.body);
    const second = body.lastIndexOf(Buffer.from([0xc7, 0x05, 0x05]));
    body.writeUInt32BE(0, second + 4);
    assert.throws(() => decodeValue(new Payload(body, [payload.blobs[0] as Uint8Array])), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_DECODE' && /blob 0 is named twice/.test(e.message));
  });

  it('keeps a subarray as just its own elements', () => {
    const base = new Int32Array([1, 2, 3, 4, 5]);
    assert.deepEqual(roundTrip(base.subarray(1, 3)), new Int32Array([2, 3]));
  });

  it('keeps Errors with their class, message, stack, code and cause', () => {
    const error = Object.assign(new RangeError('out of range', { cause: { why: 1 } }), { code: 'E_RANGE' });
    const back = roundTrip(error);
    assert.ok(back instanceof RangeError);
    assert.equal(back.message, 'out of range');
    assert.equal(back.stack, error.stack);
    assert.equal((back as unknown as { code: string }).code, 'E_RANGE');
    assert.deepEqual(back.cause, { why: 1 });
    class CustomError extends Error { override name = 'CustomError'; }
    const custom = roundTrip(new CustomError('mine'));
    assert.ok(custom instanceof Error);
    assert.equal(custom.name, 'CustomError');
  });

  it('keeps registered Copyable classes, with and without custom state', () => {
    const point = roundTrip(new Point(3, 4));
    assert.ok(point instanceof Point);
    assert.equal(point.norm(), 5);
    const secretive = roundTrip([new Secretive([1, 2, 3])])[0];
    assert.ok(secretive instanceof Secretive);
    assert.equal(secretive?.sum(), 6);
  });

  it('sends unregistered class instances as plain objects', () => {
    class Unregistered { a = 1; }
    const back = roundTrip(new Unregistered());
    assert.deepEqual(back, { a: 1 });
  });

  it('refuses functions and symbols with a clear error', () => {
    assert.throws(() => encodeValue({ f: () => 1 }), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_ENCODE' && /install/.test(e.message));
    assert.throws(() => encodeValue(Symbol('s')), ProtocolError);
  });

  it('reports malformed input as ProtocolError, never anything else', () => {
    const garbage = [new Uint8Array([0xc1]), new Uint8Array([0x92, 0x01]), new Uint8Array([0xd4, 0x05, 0x00]), new Uint8Array([0xc7, 0x02, 0x07, 0x91, 0xc0]), new Uint8Array([0xd4, 0x63, 0x00]), new Uint8Array(0)];
    for (const body of garbage) {
      assert.throws(() => decodeValue(new Payload(body)), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_DECODE', `bytes ${Buffer.from(body).toString('hex')}`);
    }
  });

  it('appendValue puts many values side by side in one PayloadList, each decoding as encodeValue\'s does', () => {
    const builder = new PayloadListBuilder();
    const values = Array.from({ length: 20_000 }, (_, i) => [i, { k: `v${i}` }, new Map([[i, new Set([i])]]), new Float32Array([i, -i])]);
    for (const value of values) appendValue(builder, value);
    assert.throws(() => appendValue(builder, [() => 1]), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_ENCODE');
    const list = builder.build();
    assert.equal(list.length, values.length, 'a value that failed to encode left nothing behind');
    for (const [i, value] of values.entries()) {
      assert.deepEqual(list.at(i).body, encodeValue(value).body);
      assert.deepEqual(decodeValue(list.at(i)), value);
    }
  });
});
