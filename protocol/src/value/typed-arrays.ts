/** Every binary view the codec keeps as itself, by a one-byte kind code that is part of the wire format. */
type ViewConstructor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): ArrayBufferView; BYTES_PER_ELEMENT: number };

const kinds: ReadonlyArray<readonly [code: number, ctor: ViewConstructor]> = [
  [1, Uint8Array],
  [2, Int8Array],
  [3, Uint8ClampedArray],
  [4, Int16Array],
  [5, Uint16Array],
  [6, Int32Array],
  [7, Uint32Array],
  [8, Float32Array],
  [9, Float64Array],
  [10, BigInt64Array as unknown as ViewConstructor],
  [11, BigUint64Array as unknown as ViewConstructor],
  [12, Buffer as unknown as ViewConstructor],
];

const codeByCtor = new Map<unknown, number>(kinds.map(([code, ctor]) => [ctor, code]));
const ctorByCode = new Map<number, ViewConstructor>(kinds);

/** DataView and ArrayBuffer have no element size; they get codes of their own. */
export const DATA_VIEW = 13;
export const ARRAY_BUFFER = 14;

export function kindOf(value: object): number | undefined {
  if (value instanceof ArrayBuffer) return ARRAY_BUFFER;
  if (value instanceof DataView) return DATA_VIEW;
  return codeByCtor.get(value.constructor);
}

/** Bytes of a view or buffer, without copying. */
export function bytesOf(value: ArrayBufferView | ArrayBuffer): Uint8Array {
  return value instanceof ArrayBuffer
    ? new Uint8Array(value)
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Rebuilds a view over `bytes`. It shares memory with `bytes` when the alignment
 * allows and `share` is set; otherwise it copies once into a fresh buffer.
 */
export function viewOf(kind: number, bytes: Uint8Array, share: boolean): unknown {
  if (kind === ARRAY_BUFFER) return copyBuffer(bytes);
  if (kind === DATA_VIEW) return share ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(copyBuffer(bytes));
  if (kind === 12) return share ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes);
  const ctor = ctorByCode.get(kind);
  if (ctor === undefined) throw new TypeError(`unknown typed array kind ${kind}`);
  const size = ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) throw new TypeError(`typed array of kind ${kind} has ${bytes.byteLength} bytes`);
  if (share && bytes.byteOffset % size === 0) return new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
  return new ctor(copyBuffer(bytes), 0, bytes.byteLength / size);
}

function copyBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
