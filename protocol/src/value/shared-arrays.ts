import { lstatSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Where a process that encodes big binary views on a machine it shares with
 * every reader puts them: written once to a file in a private directory, so
 * the wire carries only the file's path and no hop copies or encrypts the bytes.
 */
export interface SharedArrayWriter {
  /** Writes `bytes` and returns the path a reader on this machine opens. */
  place(bytes: Uint8Array): string;
}

/** The prefix of every directory shared arrays live in; a reader opens nothing else. */
export const SHARED_DIR_PREFIX = 'sg-shm-';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The reference that travels instead of the bytes: kind, then the path. */
export function encodeSharedRef(kind: number, path: string): Uint8Array {
  const name = utf8.encode(path);
  const ref = new Uint8Array(1 + name.byteLength);
  ref[0] = kind;
  ref.set(name, 1);
  return ref;
}

/**
 * The bytes a reference names, read once into memory of their own. Only a
 * regular file of this user's, in a directory named as SharedArrayWriters name
 * theirs, is read: a reference is no way to make a process read other files.
 */
export function readSharedRef(ref: Uint8Array): { kind: number; bytes: Uint8Array } {
  const path = utf8Decoder.decode(ref.subarray(1));
  const stat = lstatSync(path, { throwIfNoEntry: false });
  const uid = process.getuid?.();
  if (!basename(dirname(path)).startsWith(SHARED_DIR_PREFIX) || stat === undefined || !stat.isFile() || (uid !== undefined && stat.uid !== uid)) {
    throw new TypeError(`a shared array reference names ${JSON.stringify(path)}, which is not a shared array file of this user`);
  }
  return { kind: ref[0] ?? 0, bytes: readFileSync(path) };
}
