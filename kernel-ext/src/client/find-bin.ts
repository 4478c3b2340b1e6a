import { SMALL_V8_POOL } from '@scattergather/protocol';
import { dirname, join } from 'node:path';

/** The path of a scattergather command; roles find each other's entry files, they never import them. */
export function findBin(pkg: '@scattergather/controller' | '@scattergather/worker-server', bin: string): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin: Record<string, string> };
  const relative = manifest.bin[bin];
  if (relative === undefined) throw new Error(`${pkg} has no '${bin}' command`);
  return join(dirname(manifestPath), relative);
}

/** The node flags for the processes a client starts: ours, then SG_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them). */
export function nodeArgs(): string[] {
  return [SMALL_V8_POOL, ...(process.env['SG_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '')];
}
