import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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
 * Removes the private directory an ipc:// endpoint lives in: what the peer of a
 * process that died outright does, since the dead one could not.
 */
export function removeIpcDirectoryOf(endpoint: string): void {
  const dir = ipcDirectoryOf(endpoint);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** The directory an ipc:// endpoint's socket file lives in (undefined for other transports). */
export function ipcDirectoryOf(endpoint: string): string | undefined {
  return endpoint.startsWith('ipc://') ? dirname(endpoint.slice('ipc://'.length)) : undefined;
}
