import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseReadyLine } from '@scattergather/protocol';
import { ScatterGatherError } from './errors.js';

/**
 * Waits for an sg-worker started as `child` (directly, or through ssh) to print
 * its ready line, and resolves with the address it gives. Rejects, with the
 * tail of what the child wrote to stderr, if it exits or cannot be started
 * first, or `timeoutMs` passes. `what` names the worker in the error ("a local
 * sg-worker", "sg-worker on node7"). Once ready, the child's pipes keep
 * draining without holding this process's event loop open.
 */
export function waitForReadyLine(child: ChildProcess, what: string, timeoutMs: number, code = 'ERR_WORKER_START'): Promise<{ url: string; executors: number }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  child.stdin?.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      lines.close();
      reject(new ScatterGatherError(code, `${what} ${why}${stderr.trim() === '' ? '' : `; it said:\n${stderr.trim()}`}`));
    };
    const timer = setTimeout(() => fail(`did not get ready within ${timeoutMs} ms`), timeoutMs);
    const onExit = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      // Let the last of stderr arrive first: it says why.
      setImmediate(() => fail(`exited (${signal ?? `code ${String(exitCode)}`}) before it was ready`));
    };
    // A child that could not be started (e.g. ENOENT) emits 'error' and never 'exit'.
    const onError = (error: Error): void => {
      clearTimeout(timer);
      fail(`could not be started: ${error.message}`);
    };
    child.once('exit', onExit);
    child.once('error', onError);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const ready = parseReadyLine(line);
      if (ready === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      lines.close();
      child.stdout?.resume();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
      child.unref();
      resolve(ready);
    });
  });
}
