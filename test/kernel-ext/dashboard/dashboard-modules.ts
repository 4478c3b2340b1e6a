/** The dashboard's modules from kernel-ext/dist (they are not part of the package's public exports). */
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '..', '..', '..', '..', 'kernel-ext', 'dist', 'dashboard');

function load<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(DIST, `${name}.js`)) as T;
}

export const taskLanes = load<typeof import('../../../kernel-ext/src/dashboard/task-lanes.js')>('task-lanes');
export const setRates = load<typeof import('../../../kernel-ext/src/dashboard/set-rates.js')>('set-rates');
export const keptByServer = load<typeof import('../../../kernel-ext/src/dashboard/kept-by-server.js')>('kept-by-server').keptByServer;
