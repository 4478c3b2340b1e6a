import { closeSync, constants, fstatSync, linkSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { curveKeyPair } from 'zeromq';
import { ProtocolError } from '../errors.js';

/**
 * The cluster key: one CurveZMQ key pair shared by a cluster's servers and
 * controllers. Servers encrypt with it and admit only peers that present its
 * public key, which only holders of the file can do.
 */
export interface ClusterKey {
  publicKey: string;
  secretKey: string;
}

const Z85_LENGTH = 40;
const NOT_A_KEY = 'is not a scattergather key file (made by: npx sg-worker keygen FILE)';

export function generateClusterKey(): ClusterKey {
  const { publicKey, secretKey } = curveKeyPair();
  return { publicKey, secretKey };
}

/** A key file's text: one JSON line, so it can also travel as the first line of a pipe (sg-worker --key-stdin). */
export function formatClusterKey(key: ClusterKey): string {
  return JSON.stringify({ scattergather: 'cluster-key', publicKey: key.publicKey, secretKey: key.secretKey });
}

/** Parses a key file's text; `where` names its source in the error. */
export function parseClusterKey(text: string, where: string): ClusterKey {
  let parsed: Partial<ClusterKey> | null;
  try {
    parsed = JSON.parse(text) as Partial<ClusterKey> | null;
  } catch (cause) {
    throw new ProtocolError('ERR_KEY_FILE', `${where} ${NOT_A_KEY}`, { cause });
  }
  const publicKey = parsed?.publicKey;
  const secretKey = parsed?.secretKey;
  if (typeof publicKey !== 'string' || typeof secretKey !== 'string' || publicKey.length !== Z85_LENGTH || secretKey.length !== Z85_LENGTH) {
    throw new ProtocolError('ERR_KEY_FILE', `${where} ${NOT_A_KEY}`);
  }
  return { publicKey, secretKey };
}

/** Writes a new key file, readable by its owner only (0600); never overwrites one. */
export function writeKeyFile(path: string, key: ClusterKey = generateClusterKey()): ClusterKey {
  try {
    writeFileSync(path, `${formatClusterKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    const exists = (cause as { code?: string }).code === 'EEXIST';
    throw new ProtocolError('ERR_KEY_FILE', exists ? `${path} exists already; remove it first or pick another name (a key file is never overwritten)` : `cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
  return key;
}

/**
 * Reads a key file through one descriptor: the last path component is never
 * followed as a symlink, and owner and mode are checked on what was opened,
 * so nothing can be swapped in between the check and the read.
 */
export function readKeyFile(path: string): ClusterKey {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const why = code === 'ELOOP' ? `${path} is a symbolic link; a key file must be a plain file of yours (point --key-file at the file itself)` : `cannot read the key file ${path}: ${(cause as Error).message}. Make one with: npx sg-worker keygen ${path}`;
    throw new ProtocolError('ERR_KEY_FILE', why, { cause });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ProtocolError('ERR_KEY_FILE', `${path} is not a plain file; point --key-file at a key made by: npx sg-worker keygen FILE`);
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new ProtocolError('ERR_KEY_FILE_OWNER', `${path} belongs to another user (uid ${stat.uid}); a key someone else controls could let them run code as you. Use a key file of your own (npx sg-worker keygen FILE)`);
    }
    if ((stat.mode & 0o077) !== 0) {
      throw new ProtocolError('ERR_KEY_FILE_MODE', `${path} can be read by other users; anyone who reads it can run code on the cluster. Run: chmod 600 ${path}`);
    }
    return parseClusterKey(readFileSync(fd, 'utf8'), path);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the key at `path`, creating it first when there is none. Creation is
 * atomic: the key is written whole to a private temporary name and hard-linked
 * into place, so of two processes starting together one link wins and both
 * read the same key.
 */
export function readOrCreateKeyFile(path: string): ClusterKey {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeKeyFile(temporary);
    linkSync(temporary, path);
  } catch (cause) {
    if ((cause as { code?: string }).code !== 'EEXIST') {
      throw new ProtocolError('ERR_KEY_FILE', `cannot create the cluster key ${path}: ${(cause as Error).message}. Make one with: npx sg-worker keygen FILE, and pass --key-file FILE`, { cause });
    }
  } finally {
    try { unlinkSync(temporary); } catch { /* never written */ }
  }
  return readKeyFile(path);
}
/** Socket options of a server that encrypts and asks the ZAP handler (zap-domain `domain`) about every peer. */
export function curveServerOptions(key: ClusterKey, domain: string): { curveServer: true; curveSecretKey: string; zapDomain: string } {
  return { curveServer: true, curveSecretKey: key.secretKey, zapDomain: domain };
}

/** Socket options of a controller proving it holds the cluster key. */
export function curveClientOptions(key: ClusterKey): { curveServerKey: string; curvePublicKey: string; curveSecretKey: string } {
  return { curveServerKey: key.publicKey, curvePublicKey: key.publicKey, curveSecretKey: key.secretKey };
}

const Z85_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** Z85 (ZeroMQ RFC 32) text to bytes: how ZAP requests carry the public key the text form names. */
export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) throw new ProtocolError('ERR_Z85', 'Z85 text length must be a multiple of 5');
  const bytes = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const digit = Z85_CHARS.indexOf(text[i + j] as string);
      if (digit < 0) throw new ProtocolError('ERR_Z85', `not a Z85 character: ${text[i + j]}`);
      value = value * 85 + digit;
    }
    bytes.writeUInt32BE(value >>> 0, (i / 5) * 4);
  }
  return bytes;
}
