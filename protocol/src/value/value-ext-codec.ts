import { Decoder, Encoder, ExtData, EXT_TIMESTAMP, decodeTimestampExtension, encodeTimestampExtension } from '@msgpack/msgpack';
import type { ExtensionCodecType } from '@msgpack/msgpack';
import { ExtType } from './ext-types.js';
import { copyableNameOf, restoreCopyable, stateOf } from './copyable-registry.js';
import { errorFromState, errorStateOf, type ErrorState } from './error-state.js';
import { encodeSharedRef, readSharedRef, type SharedArrayWriter } from './shared-arrays.js';
import { decodeRef, Ref } from './ref.js';
import { bytesOf, kindOf, viewOf } from './typed-arrays.js';

/** Per-call state of one encode or decode: the out-of-band blobs and the codec's own (re-entrant) coders. */
export interface ValueContext {
  blobs: Uint8Array[];
  /** While decoding: which blobs a reference has named (each may be named once, as our encoder names them). */
  blobsNamed: Uint8Array;
  /** Binary views at least this large travel as blobs instead of inside the body. */
  blobThreshold: number;
  /** When set, views at least blobThreshold large are written here and travel as a path (every reader is on this machine). */
  shared: SharedArrayWriter | undefined;
  encoder: Encoder<ValueContext>;
  decoder: Decoder<ValueContext>;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Maps the contract's value types to MessagePack extensions. One dispatching
 * codec instead of a list of encoders: plain objects and arrays, by far the most
 * common, leave after one prototype check.
 */
export class ValueExtensionCodec implements ExtensionCodecType<ValueContext> {
  declare readonly __brand: ExtensionCodecType<ValueContext>['__brand'];

  tryToEncode(object: unknown, ctx: ValueContext): ExtData | null {
    if (typeof object === 'bigint') return new ExtData(ExtType.bigint, utf8.encode(object.toString(16)));
    if (object === null || typeof object !== 'object') return null;
    const proto = Object.getPrototypeOf(object) as unknown;
    if (proto === Object.prototype || proto === Array.prototype || proto === null) return null;
    if (object instanceof Date) return new ExtData(EXT_TIMESTAMP, encodeTimestampExtension(object) as Uint8Array);
    if (object instanceof Map) return this.nested(ExtType.map, flattenEntries(object), ctx);
    if (object instanceof Set) return this.nested(ExtType.set, [...object], ctx);
    if (object instanceof Ref) return this.nested(ExtType.ref, [object.id, object.size], ctx);
    const kind = kindOf(object);
    if (kind !== undefined) return encodeBinary(kind, bytesOf(object as ArrayBufferView), ctx);
    const copyableName = copyableNameOf(object);
    if (copyableName !== undefined) return this.nested(ExtType.copyable, [copyableName, stateOf(object)], ctx);
    if (object instanceof Error) return this.nested(ExtType.error, errorStateOf(object), ctx);
    return null;
  }

  decode(data: Uint8Array, extType: number, ctx: ValueContext): unknown {
    switch (extType) {
      case ExtType.undefined: return undefined;
      case ExtType.bigint: return parseBigInt(utf8Decoder.decode(data));
      case ExtType.map: return toMap(ctx.decoder.decode(data) as unknown[]);
      case ExtType.set: return new Set(ctx.decoder.decode(data) as unknown[]);
      case ExtType.typedArray: return viewOf(data[0] ?? 0, data.subarray(1), false);
      case ExtType.blobRef: return decodeBlobRef(data, ctx);
      case ExtType.sharedRef: {
        const { kind, bytes } = readSharedRef(data);
        return viewOf(kind, bytes, true);
      }
      case ExtType.error: return errorFromState(ctx.decoder.decode(data) as ErrorState);
      case ExtType.copyable: {
        const [name, state] = ctx.decoder.decode(data) as [string, unknown];
        return restoreCopyable(name, state);
      }
      case ExtType.ref: return decodeRef(ctx.decoder.decode(data));
      case EXT_TIMESTAMP: return decodeTimestampExtension(data);
      default: throw new TypeError(`unknown MessagePack extension type ${extType}`);
    }
  }

  private nested(type: number, value: unknown, ctx: ValueContext): ExtData {
    return new ExtData(type, ctx.encoder.encode(value));
  }
}

function encodeBinary(kind: number, bytes: Uint8Array, ctx: ValueContext): ExtData {
  if (bytes.byteLength < ctx.blobThreshold) {
    const data = new Uint8Array(bytes.byteLength + 1);
    data[0] = kind;
    data.set(bytes, 1);
    return new ExtData(ExtType.typedArray, data);
  }
  if (ctx.shared !== undefined) return new ExtData(ExtType.sharedRef, encodeSharedRef(kind, ctx.shared.place(bytes)));
  const ref = new Uint8Array(5);
  ref[0] = kind;
  new DataView(ref.buffer).setUint32(1, ctx.blobs.length);
  ctx.blobs.push(bytes);
  return new ExtData(ExtType.blobRef, ref);
}

function decodeBlobRef(data: Uint8Array, ctx: ValueContext): unknown {
  if (data.byteLength !== 5) throw new TypeError('malformed blob reference');
  const index = new DataView(data.buffer, data.byteOffset, 5).getUint32(1);
  const blob = ctx.blobs[index];
  if (blob === undefined) throw new TypeError(`blob ${index} is missing from the message`);
  // Named twice, one frame could decode to many copies of itself (an ArrayBuffer is always copied).
  if (ctx.blobsNamed[index] === 1) throw new TypeError(`blob ${index} is named twice`);
  ctx.blobsNamed[index] = 1;
  return viewOf(data[0] ?? 0, blob, true);
}

function flattenEntries(map: Map<unknown, unknown>): unknown[] {
  const flat: unknown[] = [];
  for (const [key, value] of map) flat.push(key, value);
  return flat;
}

function toMap(flat: unknown[]): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

function parseBigInt(hex: string): bigint {
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}
