import { lstatSync, mkdtempSync, rmdirSync, rmSync, unlinkSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** What makePrivateDir names its directories: `sg-PREFIX-` and mkdtemp's six random characters. */
const PRIVATE_DIR_NAME = /^sg-[a-z]+-[A-Za-z0-9]{6}$/;

/**
 * A fresh directory only this user can enter (mkdtemp makes it 0700), for
 * ipc:// endpoints and key files, so no other local user can connect to them
 * or read them. Keep the prefix short: a Unix socket path has at most 107 bytes.
 */
export function makePrivateDir(prefix: string): { dir: string; endpoint(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sg-${prefix}-`));
  return {
    dir,
    endpoint: (name) => `ipc://${join(dir, name)}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Removes the private directory that holds these ipc:// endpoints: what the
 * peer of a process that died outright does, since the dead one could not.
 * Only a directory that looks exactly like one makePrivateDir made (its name,
 * owned by this user, mode 0700, not a symlink) is touched, and only the
 * endpoints' socket files and the then empty directory are removed, never
 * anything else. Returns why it left the directory alone, or undefined.
 */
export function removePrivateDirOf(endpoints: readonly string[]): string | undefined {
  const dirs = new Set(endpoints.map(ipcDirectoryOf));
  const [dir] = dirs;
  if (dir === undefined || dirs.size !== 1) return 'the endpoints are not ipc:// sockets in one directory';
  if (!PRIVATE_DIR_NAME.test(basename(dir))) return `${dir} is not named as a scattergather private directory`;
  if (lstatOrUndefined(dir) === undefined) return undefined;
  const notPrivate = whyNotPrivate(dir);
  if (notPrivate !== undefined) return notPrivate;
  for (const endpoint of endpoints) {
    const file = endpoint.slice('ipc://'.length);
    const fileStat = lstatOrUndefined(file);
    if (fileStat === undefined) continue;
    if (!fileStat.isSocket()) return `${file} is not a socket`;
    unlinkSync(file);
  }
  try {
    rmdirSync(dir);
  } catch (cause) {
    return `${dir} was kept: ${(cause as Error).message}`;
  }
  return undefined;
}

/** Why `dir` is not a directory only this user can enter (a real one, not a symlink, owned by us, mode 0700), or undefined. */
export function whyNotPrivate(dir: string): string | undefined {
  const stat = lstatOrUndefined(dir);
  if (stat === undefined) return `${dir} does not exist`;
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  if (stat.uid !== process.getuid?.()) return `${dir} belongs to another user`;
  if ((stat.mode & 0o777) !== 0o700) return `${dir} has mode ${(stat.mode & 0o777).toString(8)}, not 700`;
  return undefined;
}

/** removePrivateDirOf for a single endpoint. */
export function removeIpcDirectoryOf(endpoint: string): string | undefined {
  return removePrivateDirOf([endpoint]);
}

/** The directory an ipc:// endpoint's socket file lives in (undefined for other transports). */
export function ipcDirectoryOf(endpoint: string): string | undefined {
  return endpoint.startsWith('ipc://') ? dirname(endpoint.slice('ipc://'.length)) : undefined;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
