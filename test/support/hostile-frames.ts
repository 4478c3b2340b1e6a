import { encodeMessage, encodeValue, Payload, PayloadList, type Message } from '@scattergather/protocol';

/** `unit` repeated until the whole is about `bytes` long. */
function repeat(unit: number[], bytes: number, tail: number[] = []): Buffer {
  const count = Math.floor((bytes - tail.length) / unit.length);
  return Buffer.concat([...Array<Buffer>(count).fill(Buffer.from(unit)), Buffer.from(tail)]);
}

/** The header of an extension (ext 8/16/32 as its length needs) of `type` around `length` bytes of data. */
function extHeader(type: number, length: number): number[] {
  const n = length;
  const size = n < 0x100 ? [0xc7, n] : n < 0x10000 ? [0xc8, n >> 8, n & 0xff] : [0xc9, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return [...size, type];
}

/** Extension 2 (a Map) nested `levels` deep around an empty array, built outside in. */
function nestedMaps(levels: number): Buffer {
  const headers: number[][] = [];
  let length = 1;
  for (let i = 0; i < levels; i++) {
    const header = extHeader(2, length);
    headers.push(header);
    length += header.length;
  }
  return Buffer.from([...headers.reverse().flat(), 0x90]);
}

export interface Bomb {
  name: string;
  /** One MessagePack buffer, used both as a message's frame 0 and as a value's body. */
  bytes: Buffer;
  /** The code of the bounds check that refuses it, as the `cause` of the decode error. */
  code: string;
  /** Only a value is checked this way: to an envelope its extensions are opaque payloads (refused for naming missing blobs). */
  valueOnly?: boolean;
}

/**
 * MessagePack that declares far more than it holds or nests without end: each
 * would make a decoder that trusts its headers allocate gigabytes, or recurse
 * until the stack breaks. Each is at most about 90 KB.
 */
export function boundsBombs(): Bomb[] {
  const valid = encodeMessage({ t: 'run', fns: [{ name: 'echo' }], tasks: [[1, 0, encodeValue([[1, 'two', [3]]]), 0]] })[0] as Buffer;
  return [
    { name: 'nested array16 headers (dc 3f ff × 30,000)', bytes: repeat([0xdc, 0x3f, 0xff], 90_000), code: 'ERR_LENGTH' },
    { name: 'nested array32 headers of 2^32-1 elements', bytes: repeat([0xdd, 0xff, 0xff, 0xff, 0xff], 90_000), code: 'ERR_LENGTH' },
    { name: 'nested map16 headers', bytes: repeat([0xde, 0x3f, 0xff], 90_000), code: 'ERR_LENGTH' },
    { name: 'a map declaring 2^32-1 entries', bytes: Buffer.concat([Buffer.from([0xdf, 0xff, 0xff, 0xff, 0xff]), repeat([0xa1, 0x6b, 0x01], 60_000)]), code: 'ERR_LENGTH' },
    { name: 'an array declaring one more element than it has', bytes: Buffer.concat([Buffer.from([0xdd, 0, 0, 0x75, 0x31]), repeat([0x01], 29_999)]), code: 'ERR_LENGTH' },
    { name: 'a str32 declaring 4 GiB', bytes: Buffer.concat([Buffer.from([0xdb, 0xff, 0xff, 0xff, 0xff]), repeat([0x61], 1000)]), code: 'ERR_LENGTH' },
    { name: 'a bin32 declaring 4 GiB', bytes: Buffer.concat([Buffer.from([0xc6, 0xff, 0xff, 0xff, 0xff]), repeat([0], 1000)]), code: 'ERR_LENGTH' },
    { name: 'an ext32 declaring 4 GiB', bytes: Buffer.concat([Buffer.from([0xc9, 0xff, 0xff, 0xff, 0xff, 2]), repeat([0x90], 1000)]), code: 'ERR_LENGTH' },
    { name: 'an array of str16 each declaring more than is left', bytes: Buffer.concat([Buffer.from([0xdc, 0x75, 0x30]), repeat([0xda, 0xff, 0xff], 90_000)]), code: 'ERR_LENGTH' },
    { name: 'a depth bomb of 90,000 one-element arrays', bytes: repeat([0x91], 90_000, [0xc0]), code: 'ERR_DEPTH' },
    { name: 'a depth bomb of 90,000 one-entry maps', bytes: repeat([0x81, 0x00], 90_000, [0xc0]), code: 'ERR_DEPTH' },
    { name: 'Maps nested 20,000 deep', bytes: nestedMaps(20_000), code: 'ERR_DEPTH', valueOnly: true },
    // The payload before the lost byte no longer leaves a byte for the value owed after it.
    { name: 'a frame missing its last byte', bytes: valid.subarray(0, valid.byteLength - 1), code: 'ERR_LENGTH' },
    { name: 'a uint16 cut short', bytes: Buffer.from([0x92, 0xcd, 0x01]), code: 'ERR_TRUNCATED' },
  ];
}

/** An envelope that is itself well formed, carrying `body` as the value of a task (to an executor) or a result (to a controller or client). */
export function carrying(kind: 'run' | 'done' | 'results' | 'submit', body: Buffer, id = 0): Buffer[] {
  const value = new Payload(body);
  const messages: { [K in typeof kind]: Message } = {
    run: { t: 'run', fns: [{ name: 'echo' }], tasks: [[id, 0, value, 0]] },
    done: { t: 'done', results: [[id, true, value, 1, 1, '']] },
    results: { t: 'results', items: [[id, 0, true, value, 0, 1, '']] },
    submit: { t: 'submit', set: id, fn: { name: 'echo' }, tasks: PayloadList.of([value]) },
  };
  return encodeMessage(messages[kind]);
}

/**
 * Every bomb as a bare frame 0, and again inside a well-formed `kind` envelope
 * (ids from `firstId` on): what a hostile peer of that socket can send.
 */
export function bombFlood(kind: 'run' | 'done' | 'results' | 'submit', firstId = 0): Buffer[][] {
  return boundsBombs().flatMap((bomb, i) => [[bomb.bytes], carrying(kind, bomb.bytes, firstId + i)]);
}
