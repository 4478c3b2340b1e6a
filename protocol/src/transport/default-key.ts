import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readOrCreateKeyFile, type ClusterKey } from './cluster-key.js';

/** The user's own cluster key: `$XDG_CONFIG_HOME/scattergather/cluster.key`, `~/.config/...` by default. */
export function defaultKeyPath(): string {
  const xdg = process.env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative value is to be ignored.
  const config = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.config');
  return join(config, 'scattergather', 'cluster.key');
}

/**
 * Reads the user's key, making it (0600, in a 0700 directory) if this is the
 * first scattergather process to need it. Used when no key file is named, so
 * that a cluster is keyed by default and other accounts are refused.
 */
export function loadOrCreateDefaultKey(): { path: string; key: ClusterKey } {
  const path = defaultKeyPath();
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  return { path, key: readOrCreateKeyFile(path) };
}
