import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeMessage, decodeValue, encodeMessage, encodeValue, errorFromState, Payload, PROTOCOL_VERSION, ProtocolError } from '@scattergather/protocol';
import { encode } from '@msgpack/msgpack';
import { boundsBombs } from '../support/hostile-frames';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memoryInUse(): number {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Memory still held after `make` runs `times` times and its results are kept, per byte of `input`. */
function retainedPerByte(make: () => unknown, input: number, times: number): number {
  gc();
  const before = memoryInUse();
  const kept = Array.from({ length: times }, make);
  gc();
  const after = memoryInUse();
  assert.equal(kept.length, times);
  return (after - before) / (input * times);
}

/** The ProtocolError `decode` throws, or a failed assertion if it throws anything else or nothing. */
function refusal(decode: () => unknown): ProtocolError {
  try {
    decode();
  } catch (error) {
    assert.ok(error instanceof ProtocolError, `a ProtocolError, not ${String(error)}`);
    return error;
  }
  assert.fail('decoded what it should have refused');
}

function causeCode(error: ProtocolError): string | undefined {
  return (error.cause as { code?: string } | undefined)?.code;
}

const MiB = 1024 * 1024;

describe('protocol/check-bounds: decoding never trusts a declared length or depth', () => {
  for (const bomb of boundsBombs()) {
    it(`refuses ${bomb.name} (${bomb.bytes.byteLength} bytes) as a message and as a value, in little memory`, () => {
      gc();
      const before = memoryInUse();
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        const decoded = decodeMessage([bomb.bytes]);
        assert.ok(!decoded.ok);
        assert.equal(decoded.error.code, 'ERR_MALFORMED');
        if (bomb.valueOnly !== true) assert.equal(causeCode(decoded.error), bomb.code, decoded.error.message);
        const error = refusal(() => decodeValue(new Payload(bomb.bytes)));
        assert.equal(error.code, 'ERR_DECODE');
        assert.equal(causeCode(error), bomb.code, error.message);
      }
      const grew = memoryInUse() - before;
      assert.ok(grew < 16 * MiB, `40 refusals of a ${bomb.bytes.byteLength}-byte frame grew the heap by ${(grew / MiB).toFixed(1)} MiB`);
      assert.ok(performance.now() - started < 2000, 'refusing is quick');
    });
  }

  it('says what was wrong and where', () => {
    const error = refusal(() => decodeValue(new Payload(Buffer.from([0xdc, 0x00, 0x05, 0x01, 0x02]))));
    assert.match(error.message, /a length of 5 declared just before offset 3 does not fit in the 2 bytes left/);
    assert.match(refusal(() => decodeValue(new Payload(Buffer.from([0x91, 0xc1])))).message, /byte 0xc1 at offset 1 starts no MessagePack value/);
    assert.match(refusal(() => decodeValue(new Payload(Buffer.from([0x01, 0x02])))).message, /1 extra bytes follow the value, from offset 1/);
  });

  it('counts what enclosing arrays and maps still owe: every element takes a byte, every entry two', () => {
    assert.deepEqual(decodeValue(new Payload(Buffer.from([0xdc, 0x00, 0x03, 0x01, 0x02, 0x03]))), [1, 2, 3]);
    assert.deepEqual(decodeValue(new Payload(Buffer.from([0x82, 0xa1, 0x61, 0x01, 0xa1, 0x62, 0x90]))), { a: 1, b: [] });
    // [[x, x], y]: the inner array's two elements and the outer one's second need three bytes after the inner header; two are left.
    assert.equal(causeCode(refusal(() => decodeValue(new Payload(Buffer.from([0x92, 0x92, 0x01, 0x02]))))), 'ERR_LENGTH');
    // A map of two entries needs four values; three bytes are left.
    assert.equal(causeCode(refusal(() => decodeValue(new Payload(Buffer.from([0x82, 0x01, 0x02, 0x03]))))), 'ERR_LENGTH');
    // A str8 of 3 bytes inside an array that owes one more element: 4 bytes needed, 3 left.
    assert.equal(causeCode(refusal(() => decodeValue(new Payload(Buffer.from([0x92, 0xd9, 0x03, 0x61, 0x62, 0x63]))))), 'ERR_LENGTH');
  });

  it('takes values nested up to 256 levels, refuses 257', () => {
    const nested = (levels: number): Payload => new Payload(Buffer.from([...Array<number>(levels).fill(0x91), 0xc0]));
    let value = decodeValue(nested(256));
    for (let depth = 0; depth < 256; depth++) value = (value as unknown[])[0];
    assert.equal(value, null);
    assert.equal(causeCode(refusal(() => decodeValue(nested(257)))), 'ERR_DEPTH');
  });

  it('checks what a Map, Set, Error or copyable carries in the same pass, one level deeper', () => {
    const bomb = Buffer.from(Array<number[]>(1000).fill([0xdc, 0x3f, 0xff]).flat());
    for (const type of [2, 3, 6, 7]) {
      const body = Buffer.concat([Buffer.from([0xc8, bomb.byteLength >> 8, bomb.byteLength & 0xff, type]), bomb]);
      assert.equal(causeCode(refusal(() => decodeValue(new Payload(body)))), 'ERR_LENGTH', `extension ${type}`);
    }
    // [null] in a Set inside 255 arrays is 257 levels deep.
    const deepSet = Buffer.from([...Array<number>(255).fill(0x91), 0xd5, 3, 0x91, 0xc0]);
    assert.equal(causeCode(refusal(() => decodeValue(new Payload(deepSet)))), 'ERR_DEPTH');
  });

  it('refuses every truncation of a real message and of a rich value with a ProtocolError, never anything else', () => {
    const frame = encodeMessage({ t: 'done', results: [[7, true, encodeValue({ a: [1, 'x', 2.5, -3n, new Map([[1, new Set([2])]])] }), 0.5, 42, 'printed']] })[0] as Buffer;
    for (let cut = 0; cut < frame.byteLength; cut++) {
      const decoded = decodeMessage([frame.subarray(0, cut)]);
      assert.ok(!decoded.ok, `cut at ${cut}`);
      assert.ok(['ERR_TRUNCATED', 'ERR_LENGTH'].includes(causeCode(decoded.error) ?? ''), `cut at ${cut}: ${decoded.error.message}`);
    }
    const body = encodeValue([new Map([['k', [1, 2, { x: new Date(0) }]]]), new Error('e'), 'héllo', new Float64Array(3)]).body;
    for (let cut = 0; cut < body.byteLength; cut++) {
      const error = refusal(() => decodeValue(new Payload(body.subarray(0, cut))));
      assert.ok(['ERR_TRUNCATED', 'ERR_LENGTH'].includes(causeCode(error) ?? ''), `cut at ${cut}: ${error.message}`);
    }
  });

  it('lets a frame that passes cost at most about 64 times its size, whatever it is made of', () => {
    const size = 64 * 1024;
    const arrayOf = (unit: number[]): Buffer => {
      const count = Math.floor((size - 5) / unit.length);
      return Buffer.from([0xdd, count >>> 24, (count >> 16) & 0xff, (count >> 8) & 0xff, count & 0xff, ...Array<number[]>(count).fill(unit).flat()]);
    };
    const shapes: Array<[string, number[]]> = [
      ['small integers', [0x01]], ['empty arrays', [0x90]], ['empty objects', [0x80]], ['[[]]', [0x91, 0x90]],
      ['empty typed arrays', [0xd4, 4, 1]], ['empty Maps', [0xd4, 2, 0x90]], ['empty Sets', [0xd4, 3, 0x90]], ['Errors', [0xd4, 6, 0x80]],
    ];
    for (const [name, unit] of shapes) {
      const body = arrayOf(unit);
      const perByte = retainedPerByte(() => decodeValue(new Payload(body)), body.byteLength, 10);
      assert.ok(perByte < 80, `a value of ${name} holds ${perByte.toFixed(1)} bytes per byte`);
    }
    // [version, 'done', { results: [a flood of empty payloads] }]
    const head = Buffer.concat([Buffer.from([0x93, PROTOCOL_VERSION, 0xa4, ...Buffer.from('done'), 0x81, 0xa7, ...Buffer.from('results')]), arrayOf([0xd4, 0, 0])]);
    const perByte = retainedPerByte(() => decodeMessage([head]), head.byteLength, 10);
    assert.ok(perByte < 80, `a message of empty payloads holds ${perByte.toFixed(1)} bytes per byte`);
    // The same flood as one-element tuples, which the tuple-list reader reads rather than the generic decoder.
    const tuples = Buffer.concat([head.subarray(0, head.byteLength - arrayOf([0xd4, 0, 0]).byteLength), arrayOf([0x91, 0xd4, 0, 0])]);
    const perTupleByte = retainedPerByte(() => decodeMessage([tuples]), tuples.byteLength, 10);
    assert.ok(perTupleByte < 80, `a message of one-payload tuples holds ${perTupleByte.toFixed(1)} bytes per byte`);
  });
});

describe('protocol: names a peer chooses never reach Object.prototype', () => {
  it('knows no message type named after a property of every object', () => {
    for (const type of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const decoded = decodeMessage([Buffer.from(encode([PROTOCOL_VERSION, type, {}]))]);
      assert.ok(!decoded.ok && decoded.error.code === 'ERR_UNKNOWN_TYPE', type);
    }
  });

  it('rebuilds an error named constructor, __proto__ or toString as a plain Error of that name', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      const error = errorFromState({ name, message: 'm' });
      assert.ok(error instanceof Error && Object.getPrototypeOf(error) === Error.prototype, name);
      assert.equal(error.name, name);
      assert.equal(error.message, 'm');
    }
    assert.ok(errorFromState({ name: 'RangeError', message: 'r' }) instanceof RangeError);
  });

  it('knows no copyable class named constructor or __proto__', () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const state = Buffer.from(encode([name, {}]));
      const error = refusal(() => decodeValue(new Payload(Buffer.concat([Buffer.from([0xc7, state.byteLength, 7]), state]))));
      assert.match(error.message, new RegExp(`no class is registered as '${name}'`));
    }
  });
});
