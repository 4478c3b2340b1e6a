import { Decoder } from '@msgpack/msgpack';
import { ProtocolError } from '../errors.js';
import { checkBounds, MAX_DEPTH, type Bounds } from '../msgpack/check-bounds.js';
import { PlainReader, UNREAD } from '../msgpack/plain-reader.js';
import { Payload } from '../payload.js';
import type { PayloadListBuilder } from '../payload-list.js';
import { NESTED_EXT_TYPES } from './ext-types.js';
import type { SharedArrayWriter } from './shared-arrays.js';
import { ValueEncoder } from './value-encoder.js';
import { ValueExtensionCodec, type ValueContext } from './value-ext-codec.js';

/** Binary views of this size or more are sent as frames of their own, never copied into a body. */
export const DEFAULT_BLOB_THRESHOLD = 64 * 1024;

const extensionCodec = new ValueExtensionCodec();
// Checked once, whole, before decoding: nested extensions are then decoded without a second check.
const VALUE_BOUNDS: Bounds = { maxDepth: MAX_DEPTH, nestedExtTypes: NESTED_EXT_TYPES };

// One context (and so one encoder and decoder) per process: encode and decode are
// synchronous, so a call never overlaps another except through the codec's own
// nested calls, which clone their coder and share the context on purpose.
const NONE_NAMED = new Uint8Array(0);
const context = { blobs: [], blobsNamed: NONE_NAMED, blobThreshold: DEFAULT_BLOB_THRESHOLD } as unknown as ValueContext;
context.encoder = new ValueEncoder({ extensionCodec, context } as ConstructorParameters<typeof ValueEncoder>[0]);
context.decoder = new Decoder({ extensionCodec, context } as ConstructorParameters<typeof Decoder<ValueContext>>[0]);

/**
 * Encodes any value of the contract's types; throws ProtocolError('ERR_ENCODE') for what cannot cross (functions, symbols).
 * With `shared`, big views are written there once instead of travelling (only when every reader is on this machine).
 */
export function encodeValue(value: unknown, blobThreshold = DEFAULT_BLOB_THRESHOLD, shared?: SharedArrayWriter): Payload {
  const body = encodeShared(value, blobThreshold, shared).slice();
  return blobsMet.length === 0 ? new Payload(body) : new Payload(body, blobsMet.splice(0));
}

/**
 * Encodes `value` as encodeValue does and appends it to `list`, beside the
 * values before it: a set's tasks become one buffer, not one each.
 */
export function appendValue(list: PayloadListBuilder, value: unknown, blobThreshold = DEFAULT_BLOB_THRESHOLD, shared?: SharedArrayWriter): void {
  list.add(encodeShared(value, blobThreshold, shared), blobsMet);
  blobsMet.length = 0;
}

/** The blobs the last encode met; one array for every call, as a million tasks must not make a million arrays. */
const blobsMet: Uint8Array[] = [];

/** Encodes `value` into the encoder's own buffer (valid until the next encode), its blobs into `blobsMet`. */
function encodeShared(value: unknown, blobThreshold: number, shared: SharedArrayWriter | undefined): Uint8Array {
  blobsMet.length = 0;
  context.blobs = blobsMet;
  context.blobThreshold = blobThreshold;
  context.shared = shared;
  try {
    return context.encoder.encodeSharedRef(value);
  } catch (cause) {
    blobsMet.length = 0;
    throw new ProtocolError('ERR_ENCODE', `cannot send this value: ${(cause as Error).message}. Functions and symbols do not cross the wire; send data, or install the code with install()/%%remote`, { cause });
  } finally {
    context.blobs = [];
    context.shared = undefined;
  }
}

/**
 * Values of nil, booleans, numbers, strings and arrays (most tasks' arguments,
 * many results; checkBounds says which) skip the generic decoder, nested up to
 * 16 deep. Objects stay with it: its key cache makes it the faster once warm.
 */
const plainValues = new PlainReader(16);

/**
 * Decodes a Payload back into the value it was made from; throws ProtocolError('ERR_DECODE') on malformed
 * input, and before allocating anything for a body that nests too deep or declares more than it holds.
 */
export function decodeValue(payload: Payload): unknown {
  context.blobs = payload.blobs as Uint8Array[];
  context.blobsNamed = payload.blobs.length === 0 ? NONE_NAMED : new Uint8Array(payload.blobs.length);
  try {
    const plain = checkBounds(payload.body, VALUE_BOUNDS) ? plainValues.read(payload.body) : UNREAD;
    return plain === UNREAD ? context.decoder.decode(payload.body) : plain;
  } catch (cause) {
    throw new ProtocolError('ERR_DECODE', `malformed value: ${(cause as Error).message}`, { cause });
  } finally {
    context.blobs = [];
    context.blobsNamed = NONE_NAMED;
  }
}
