/**
 * Declarations run before the first cell, so tslab type-checks `sg` and the
 * rewritten magic calls. tslab cannot take `declare global`, but a cell's
 * `declare var` stays in its declarations for later cells and resolves at run
 * time to the executor's locals, which the kernel fills in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const DIST = path.join(__dirname, '..');

function modulePath(rel: string): string {
  return path.join(DIST, rel).split(path.sep).join('/');
}

/** The declarations, using the client's own `ScatterGather` type when it is built. */
export function preludeSource(): string {
  const clientTypes = fs.existsSync(path.join(DIST, 'index.d.ts'))
    ? `import type { ScatterGather as SgClientType } from ${JSON.stringify(modulePath('index'))};`
    : `import type { SgClient as SgClientType } from ${JSON.stringify(modulePath('kernel/client-types'))};`;
  return [
    clientTypes,
    `import type { MagicRuntimeApi } from ${JSON.stringify(modulePath('kernel/runtime-api'))};`,
    'declare var sg: SgClientType;',
    'declare var sgKernel: MagicRuntimeApi;',
  ].join('\n');
}

/** The fallback when the client's types do not load in tslab's compiler. */
export function fallbackPreludeSource(): string {
  return [
    `import type { SgClient as SgClientType } from ${JSON.stringify(modulePath('kernel/client-types'))};`,
    `import type { MagicRuntimeApi } from ${JSON.stringify(modulePath('kernel/runtime-api'))};`,
    'declare var sg: SgClientType;',
    'declare var sgKernel: MagicRuntimeApi;',
  ].join('\n');
}
