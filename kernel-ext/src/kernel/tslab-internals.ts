/**
 * The few places where the kernel relies on tslab's internals, in one file.
 * They hold for tslab 1.0.22 exactly (pinned in kernel-ext/package.json):
 * - `JupyterHandlerImpl#handleExecuteImpl(req, writeStream, writeDisplayData)` runs
 *   one queued cell (after the previous one finished) and increments `execCount`
 *   first;
 *   and throws an `ExecutionCount` (`{ count }`) when the cell fails, returns one when it succeeds;
 * - `ZmqServer#handleExecute(sock, msg)` calls `handler.handleExecute(msg.content, …)`
 *   synchronously, before its first await;
 * - tslab/dist/main.js's converter set is not exported, so it is rebuilt here.
 */
import { createConverter, type Converter } from 'tslab/dist/converter';
import type { ConverterSet } from 'tslab/dist/executor';
import { JupyterHandlerImpl } from 'tslab/dist/jupyter';

export type ExecuteImpl = (req: { code: string }, writeStream: unknown, writeDisplayData: unknown) => Promise<unknown>;

/** tslab's own per-cell body, to wrap. */
export function baseExecuteImpl(): ExecuteImpl {
  const impl = Reflect.get(JupyterHandlerImpl.prototype, 'handleExecuteImpl') as unknown;
  if (typeof impl !== 'function') throw new Error('tslab changed: JupyterHandlerImpl#handleExecuteImpl is missing');
  return impl as ExecuteImpl;
}

/** `handler`'s per-cell body (the override, if any), resolving to the cell's execution count. */
export function executeImpl(handler: JupyterHandlerImpl): (...args: Parameters<ExecuteImpl>) => Promise<number | undefined> {
  const impl = Reflect.get(handler, 'handleExecuteImpl') as ExecuteImpl;
  return async (...args) => countOf(await impl.apply(handler, args));
}

/** The execution count that tslab's per-cell body threw for a failed cell, or undefined for any other error. */
export function failedCount(thrown: unknown): number | undefined {
  return thrown !== null && typeof thrown === 'object' && !(thrown instanceof Error) ? countOf(thrown) : undefined;
}

function countOf(v: unknown): number | undefined {
  const n = (v as { count?: unknown } | undefined)?.count;
  return typeof n === 'number' ? n : undefined;
}

/** Replaces `handler`'s per-cell body with `impl` (an own property shadows the prototype's). */
export function overrideExecuteImpl(handler: JupyterHandlerImpl, impl: ExecuteImpl): void {
  Object.defineProperty(handler, 'handleExecuteImpl', { value: impl, writable: true, configurable: true });
}

/** The execution count of the last cell tslab started. */
export function executionCount(handler: JupyterHandlerImpl): number {
  const n = Reflect.get(handler, 'execCount') as unknown;
  return typeof n === 'number' ? n : 0;
}

/** Like tslab's ConverterSetImpl: the Node converter is made eagerly, the browser one on demand. */
export class LazyConverterSet implements ConverterSet {
  private node_: Converter | undefined;
  private browser_: Converter | undefined;
  get node(): Converter {
    this.node_ ??= createConverter({ isJS: false, isBrowser: false });
    return this.node_;
  }
  get browser(): Converter {
    this.browser_ ??= createConverter({ isJS: false, isBrowser: true });
    return this.browser_;
  }
  close(): void {
    this.node_?.close();
    this.browser_?.close();
  }
}
