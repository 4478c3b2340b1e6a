import { Encoder, ExtData } from '@msgpack/msgpack';
import { ExtType } from './ext-types.js';
import type { ValueContext } from './value-ext-codec.js';

const UNDEFINED = new ExtData(ExtType.undefined, new Uint8Array(0));

/**
 * @msgpack/msgpack writes `undefined` as nil before it consults any extension,
 * which would turn it into `null`, and -0 as the integer 0. This subclass keeps both. It overrides
 * two private methods of @msgpack/msgpack 3.1 (pinned exactly in package.json);
 * the codec tests fail loudly if a new version changes them.
 */
export class ValueEncoder extends Encoder<ValueContext> {}

type EncoderInternals = {
  doEncode(object: unknown, depth: number): void;
  encodeExtension(ext: ExtData): void;
  encodeNumberAsFloat(value: number): void;
  clone(): Encoder<ValueContext>;
  extensionCodec: unknown;
  context: ValueContext;
};

const base = Encoder.prototype as unknown as EncoderInternals;
const patched = ValueEncoder.prototype as unknown as EncoderInternals;

patched.doEncode = function doEncode(this: EncoderInternals, object: unknown, depth: number): void {
  if (object === undefined) this.encodeExtension(UNDEFINED);
  else if (object === 0 && Object.is(object, -0)) this.encodeNumberAsFloat(-0);
  else base.doEncode.call(this, object, depth);
};

patched.clone = function clone(this: EncoderInternals): Encoder<ValueContext> {
  return new ValueEncoder({ extensionCodec: this.extensionCodec, context: this.context } as ConstructorParameters<typeof ValueEncoder>[0]);
};
