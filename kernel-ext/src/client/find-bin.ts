import { dirname, join } from 'node:path';

/** The path of a scattergather command; roles find each other's entry files, they never import them. */
export function findBin(pkg: '@scattergather/controller' | '@scattergather/worker-server', bin: string): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin: Record<string, string> };
  const relative = manifest.bin[bin];
  if (relative === undefined) throw new Error(`${pkg} has no '${bin}' command`);
  return join(dirname(manifestPath), relative);
}
