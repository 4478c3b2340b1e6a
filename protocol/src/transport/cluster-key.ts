import { readFileSync, statSync, writeFileSync } from 'node:fs';
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

export function generateClusterKey(): ClusterKey {
  const { publicKey, secretKey } = curveKeyPair();
  return { publicKey, secretKey };
}

/** Writes a new key file, readable by its owner only (0600); never overwrites one. */
export function writeKeyFile(path: string, key: ClusterKey = generateClusterKey()): ClusterKey {
  try {
    writeFileSync(path, `${JSON.stringify({ scattergather: 'cluster-key', ...key }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    const exists = (cause as { code?: string }).code === 'EEXIST';
    throw new ProtocolError('ERR_KEY_FILE', exists ? `${path} exists already; remove it first or pick another name (a key file is never overwritten)` : `cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
  return key;
}

export function readKeyFile(path: string): ClusterKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ProtocolError('ERR_KEY_FILE', `cannot read the key file ${path}: ${(cause as Error).message}. Make one with: npx sg-worker keygen ${path}`, { cause });
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new ProtocolError('ERR_KEY_FILE_MODE', `${path} can be read by other users; anyone who reads it can run code on the cluster. Run: chmod 600 ${path}`);
  }
  let parsed: Partial<ClusterKey>;
  try {
    parsed = JSON.parse(text) as Partial<ClusterKey>;
  } catch (cause) {
    throw new ProtocolError('ERR_KEY_FILE', `${path} is not a scattergather key file (made by: npx sg-worker keygen FILE)`, { cause });
  }
  const { publicKey, secretKey } = parsed;
  if (typeof publicKey !== 'string' || typeof secretKey !== 'string' || publicKey.length !== Z85_LENGTH || secretKey.length !== Z85_LENGTH) {
    throw new ProtocolError('ERR_KEY_FILE', `${path} is not a scattergather key file (made by: npx sg-worker keygen FILE)`);
  }
  return { publicKey, secretKey };
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
