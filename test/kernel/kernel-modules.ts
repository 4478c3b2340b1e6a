/** The kernel's modules from kernel-ext/dist (they are not part of the package's public exports). */
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '..', '..', '..', 'kernel-ext', 'dist', 'kernel');

function load<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(DIST, `${name}.js`)) as T;
}

export const parser = load<typeof import('../../kernel-ext/src/kernel/magic-parser.js')>('magic-parser');
export const rewriter = load<typeof import('../../kernel-ext/src/kernel/cell-rewriter.js')>('cell-rewriter');
export const completion = load<typeof import('../../kernel-ext/src/kernel/completion.js')>('completion');
export const errors = load<typeof import('../../kernel-ext/src/kernel/errors.js')>('errors');
export const progressView = load<typeof import('../../kernel-ext/src/kernel/progress-view.js')>('progress-view');
export const progressDisplay = load<typeof import('../../kernel-ext/src/kernel/progress-display.js')>('progress-display');
export const statusView = load<typeof import('../../kernel-ext/src/kernel/status-view.js')>('status-view');
export const resultsView = load<typeof import('../../kernel-ext/src/kernel/results-view.js')>('results-view');
export const html = load<typeof import('../../kernel-ext/src/kernel/html.js')>('html');
export const chart = load<typeof import('../../kernel-ext/src/kernel/histogram-chart.js')>('histogram-chart');
export const kernelspec = load<typeof import('../../kernel-ext/src/kernel/kernelspec.js')>('kernelspec');
export const executeQueue = load<typeof import('../../kernel-ext/src/kernel/execute-queue.js')>('execute-queue');
export const taggedOutput = load<typeof import('../../kernel-ext/src/kernel/tagged-output.js')>('tagged-output');
export const remoteTypes = load<typeof import('../../kernel-ext/src/kernel/remote-types.js')>('remote-types');
export const remoteModuleName = load<typeof import('../../kernel-ext/src/kernel/remote-module-name.js')>('remote-module-name');
export const runtimeChecks = load<typeof import('../../kernel-ext/src/kernel/runtime-checks.js')>('runtime-checks');
