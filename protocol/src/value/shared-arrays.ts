import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { whyNotPrivate } from '../transport/private-dir.js';

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
 * regular file of this user's, itself no symlink, in a directory named as
 * SharedArrayWriters name theirs that only this user can enter (no symlink,
 * ours, 0700), is read: a reference is no way to make a process read other
 * files, nor to block it on a FIFO. The checks are on the file as opened.
 */
export function readSharedRef(ref: Uint8Array): { kind: number; bytes: Uint8Array } {
  const path = utf8Decoder.decode(ref.subarray(1));
  const dir = dirname(path);
  const refused = basename(dir).startsWith(SHARED_DIR_PREFIX) ? whyNotPrivate(dir) : 'it is not in a shared-array directory';
  if (refused !== undefined) throw notShared(path, refused);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    throw notShared(path, (cause as Error).message);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== process.getuid?.()) throw notShared(path, 'it is not a regular file of this user');
    return { kind: ref[0] ?? 0, bytes: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

function notShared(path: string, why: string): TypeError {
  return new TypeError(`a shared array reference names ${JSON.stringify(path)}, which is not a shared array file of this user (${why})`);
}

/**
 * Removes the shared-array directory of a client that died outright (its
 * controller does this, as for the client's ipc directory). Only a directory
 * named as mkdtemp names them (`sg-shm-` and six characters), owned by this
 * user, mode 0700 and not a symlink, is touched; only the plain files in it
 * are removed, then the directory. Returns why it left it alone, or undefined.
 */
export function removeSharedDir(dir: string): string | undefined {
  if (!/^sg-shm-[A-Za-z0-9]{6}$/.test(basename(dir))) return `${dir} is not named as a shared-array directory`;
  if (lstatSync(dir, { throwIfNoEntry: false }) === undefined) return undefined;
  const notPrivate = whyNotPrivate(dir);
  if (notPrivate !== undefined) return notPrivate;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (lstatSync(file, { throwIfNoEntry: false })?.isFile() === true) unlinkSync(file);
  }
  try {
    rmdirSync(dir);
  } catch (cause) {
    return `${dir} was kept: ${(cause as Error).message}`;
  }
  return undefined;
}
