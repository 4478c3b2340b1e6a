import { Decoder, Encoder, ExtData } from '@msgpack/msgpack';
import type { ExtensionCodecType } from '@msgpack/msgpack';
import { ProtocolError } from '../errors.js';
import { checkBounds, MAX_DEPTH, type Bounds } from '../msgpack/check-bounds.js';
import { Payload } from '../payload.js';
import { PayloadList } from '../payload-list.js';
import { hasShape, MESSAGE_SHAPES, PROTOCOL_VERSION, type Message, type MessageType } from './messages.js';
import { envelopeExtOf, readEnvelopeExt } from './payload-ext.js';
import { UNREAD } from '../msgpack/plain-reader.js';
import { EnvelopeReader } from './envelope-reader.js';
import { EnvelopeWriter } from './envelope-writer.js';

/**
 * A message on the wire is frame 0, MessagePack `[version, type, fields]`,
 * followed by the blobs of every Payload inside `fields`, in the order met.
 * Payloads and PayloadLists are extensions (payload-ext.ts).
 */

interface EnvelopeContext { frames: Uint8Array[]; next: number }

class EnvelopeCodec implements ExtensionCodecType<EnvelopeContext> {
  declare readonly __brand: ExtensionCodecType<EnvelopeContext>['__brand'];

  tryToEncode(object: unknown, ctx: EnvelopeContext): ExtData | null {
    if (!(object instanceof Payload || object instanceof PayloadList)) return null;
    const { type, data } = envelopeExtOf(object, ctx.frames);
    return new ExtData(type, data);
  }

  decode(data: Uint8Array, extType: number, ctx: EnvelopeContext): unknown {
    const value = readEnvelopeExt(data, extType, ctx.frames, ctx.next);
    ctx.next += value.blobs.length;
    return value;
  }
}

// Payload bodies are opaque here: decodeValue checks each where it is read.
const ENVELOPE_BOUNDS: Bounds = { maxDepth: MAX_DEPTH };

const context: EnvelopeContext = { frames: [], next: 0 };
const extensionCodec = new EnvelopeCodec();
const encoder = new Encoder({ extensionCodec, context });
const decoder = new Decoder({ extensionCodec, context });
// The shortcuts, for the kinds of values messages carry; the generic coders above for anything else.
const envelopeWriter = new EnvelopeWriter();
const envelopeReader = new EnvelopeReader();
const encodeGeneric = (value: unknown): Uint8Array => encoder.encode(value);

/** Frames ready for `socket.send`: Buffers, so ZeroMQ sends the large ones without copying. */
export function encodeMessage(message: Message): Buffer[] {
  const { t, ...fields } = message;
  const frames: Uint8Array[] = [];
  // Kept for a message being encoded around this one (a getter in its fields sent this).
  const outer = context.frames;
  context.frames = frames;
  try {
    const head = envelopeWriter.write([PROTOCOL_VERSION, t, fields], frames, encodeGeneric);
    return [Buffer.from(head.buffer, head.byteOffset, head.byteLength), ...frames.map(asBuffer)];
  } finally {
    context.frames = outer;
  }
}

export type Decoded = { ok: true; message: Message } | { ok: false; error: ProtocolError };

/** Never throws: garbage comes back as `{ ok: false, error }` for the receiving loop to log and drop. */
export function decodeMessage(frames: readonly Uint8Array[]): Decoded {
  const head = frames[0];
  if (head === undefined) return fail('ERR_EMPTY', 'empty message');
  context.frames = frames as Uint8Array[];
  context.next = 1;
  let decoded: unknown;
  try {
    checkBounds(head, ENVELOPE_BOUNDS);
    // The shortcut counts its frames apart: the generic decoder, if it must read the head after all, starts at frame 1.
    decoded = envelopeReader.readEnvelope(head, frames);
    if (decoded === UNREAD) decoded = decoder.decode(head);
    else context.next = envelopeReader.next;
  } catch (cause) {
    return fail('ERR_MALFORMED', `undecodable message: ${(cause as Error).message}`, cause);
  } finally {
    context.frames = [];
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) return fail('ERR_MALFORMED', 'a message must be [version, type, fields]');
  const [version, type, fields] = decoded as [unknown, unknown, unknown];
  if (version !== PROTOCOL_VERSION) return fail('ERR_VERSION', `message of protocol version ${String(version)}; this process speaks ${PROTOCOL_VERSION}: run the same scattergather version everywhere`);
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGE_SHAPES, type)) return fail('ERR_UNKNOWN_TYPE', `unknown message type ${JSON.stringify(type)}`);
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields) || !hasShape(type as MessageType, fields as Record<string, unknown>)) {
    return fail('ERR_SHAPE', `message '${type}' has the wrong shape`);
  }
  if (context.next !== frames.length) return fail('ERR_SHAPE', `message '${type}' has ${frames.length - context.next} frames no payload claims`);
  return { ok: true, message: { ...(fields as object), t: type } as Message };
}

function fail(code: string, message: string, cause?: unknown): Decoded {
  return { ok: false, error: new ProtocolError(code, message, { cause }) };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
