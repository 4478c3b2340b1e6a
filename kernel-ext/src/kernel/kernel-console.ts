/**
 * The console tslab's executor reports through. Errors of the kernel become
 * Jupyter `error` outputs with a message and a hint and no internal stack;
 * interrupts say what happened to the wait; tslab's diagnostics get their
 * columns mapped back from the rewritten cell to what the user wrote.
 */
import { format } from 'node:util';
import { mapColumn } from './cell-rewriter.js';
import { isClientError } from './client-loader.js';
import type { CellContext } from './cell-context.js';
import { KernelError } from './errors.js';

const DIAGNOSTIC_FORMAT = '%s%d:%d - %s';
const INTERRUPT_MESSAGES = ['Interrupted asynchronously', 'Script execution was interrupted by `SIGINT`'];

export function errorContent(ename: string, evalue: string, hint?: string): Record<string, unknown> {
  const traceback = [`\x1b[0;31m${ename}\x1b[0m: ${evalue}`];
  if (hint) traceback.push(`\x1b[0;36m${hint}\x1b[0m`);
  return { ename, evalue, traceback };
}

export interface KernelConsole {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function createKernelConsole(current: () => CellContext | undefined): KernelConsole {
  const emitError = (ename: string, evalue: string, hint?: string): void => {
    const ctx = current();
    if (ctx?.emit) ctx.emit('error', errorContent(ename, evalue, hint));
    else console.error(`${ename}: ${evalue}${hint ? '\n' + hint : ''}`);
  };
  return {
    log: (...args) => console.log(...args),
    error: (...args) => {
      const [first] = args;
      if (first === DIAGNOSTIC_FORMAT && args.length === 5) {
        const [, file, line, col, text] = args as [string, string, number, number, string];
        const column = mapColumn(current()?.columnMaps ?? [], line - 1, col - 1) + 1;
        console.error(`${file}${line}:${column} - ${text}`);
      } else if (first instanceof KernelError) {
        emitError(first.title, first.message, first.hint);
      } else if (isClientError(first)) {
        emitError(first.name, first.message);
      } else if (first instanceof Error && INTERRUPT_MESSAGES.includes(first.message)) {
        const set = current()?.waitingFor;
        emitError(
          'KeyboardInterrupt',
          set === undefined ? 'interrupted' : `interrupted: stopped waiting for set ${set}; it keeps running`,
          set === undefined ? undefined : `%gather ${set} shows what has arrived; %cancel ${set} stops it.`,
        );
      } else {
        console.error(format(...args));
      }
    },
  };
}
