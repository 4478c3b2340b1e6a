import { Decoder, ExtData } from '@msgpack/msgpack';
import type { ExtensionCodecType } from '@msgpack/msgpack';
import { ProtocolError } from '../errors.js';
import { checkBounds, MAX_DEPTH, type Bounds } from '../msgpack/check-bounds.js';
import { Payload } from '../payload.js';
import { ExtType } from './ext-types.js';
import { decodeRef, Ref, replaceTopLevelRefs } from './ref.js';
import { ValueEncoder } from './value-encoder.js';

/**
 * Reads only references: every other extension (a Copyable, typed array, blob
 * or shared-array reference, Map, Error…) stays the bytes it came as and is
 * written back unchanged. A process that passes a task on (the worker server)
 * thus needs no registered class, reads no file and copies no blob.
 */
class RefOnlyCodec implements ExtensionCodecType<undefined> {
  declare readonly __brand: ExtensionCodecType<undefined>['__brand'];

  tryToEncode(object: unknown): ExtData | null {
    if (object instanceof ExtData) return object;
    if (object instanceof Ref) return new ExtData(ExtType.ref, encoder.encode([object.id, object.size]));
    return null;
  }

  decode(data: Uint8Array, extType: number): unknown {
    return extType === ExtType.ref ? decodeRef(decoder.decode(data)) : new ExtData(extType, data);
  }
}

const extensionCodec = new RefOnlyCodec();
// The value codec's encoder: -0 and undefined come back as they went (plain msgpack writes -0 as 0).
const encoder = new ValueEncoder({ extensionCodec } as unknown as ConstructorParameters<typeof ValueEncoder>[0]);
const decoder = new Decoder({ extensionCodec });
// A reference's fields are the one extension data decoded here: checked in the same pass, as the value codec checks its nested ones.
const REF_ONLY_BOUNDS: Bounds = { maxDepth: MAX_DEPTH, nestedExtTypes: new Set([ExtType.ref]) };

/**
 * The value `payload` holds, read by a process that only passes values on:
 * references come back as Refs, every other extension as its ExtData.
 * Throws ProtocolError('ERR_DECODE') on a body that is not one bounded MessagePack value.
 */
export function peekValue(payload: Payload): unknown {
  try {
    checkBounds(payload.body, REF_ONLY_BOUNDS);
    return decoder.decode(payload.body);
  } catch (cause) {
    throw new ProtocolError('ERR_DECODE', `malformed value: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Task `[args, kwargs?]` as a Payload, with each top-level reference replaced by
 * `rename(id)`; its blobs are the same (only references change, and they have none).
 * Throws as peekValue does.
 */
export function renameTopLevelRefs(task: Payload, rename: (id: string) => Ref): Payload {
  return new Payload(encoder.encode(replaceTopLevelRefs(peekValue(task), rename)), task.blobs);
}
