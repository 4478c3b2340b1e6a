/** Builds the kernel — tslab's executor, the magic runtime, the handler, the server — and runs it. */
import { keepCompiledCode } from '@scattergather/protocol';
import { createExecutor } from 'tslab/dist/executor';
import { loadClient } from './client-loader.js';
import { createKernelConsole } from './kernel-console.js';
import { MagicRuntime } from './magic-runtime.js';
import { fallbackPreludeSource, preludeSource } from './prelude.js';
import { SgJupyterHandler } from './sg-handler.js';
import { SgZmqServer } from './sg-zmq-server.js';
import { watchParent } from './process-isolation.js';
import { LazyConverterSet } from './tslab-internals.js';

export interface KernelOptions {
  configPath: string;
  /** Minimum time between two updates of one progress bar. */
  progressThrottleMs: number;
  /** How long shutdown waits for the cluster to stop before exiting anyway. */
  shutdownTimeoutMs: number;
  /** Shut down when stdin closes (the kernel runs as the isolated child of `sg-kernel kernel`). */
  watchParent?: boolean;
}

export async function startKernel(options: KernelOptions): Promise<void> {
  const t0 = performance.now();
  // The kernel is the notebook's client and waits between cells like our other processes.
  keepCompiledCode();
  let handler: SgJupyterHandler | undefined;
  const convs = new LazyConverterSet();
  const executor = createExecutor(process.cwd(), convs, createKernelConsole(() => handler?.current()));
  // The prelude's `declare var`s must run before the kernel fills in their values.
  if (!(await executor.execute(preludeSource()))) await executor.execute(fallbackPreludeSource());
  const runtime = new MagicRuntime(
    {
      current: () => handler?.current(),
      setClientGlobal: (value) => {
        executor.locals['sg'] = value;
      },
      loadClient,
    },
    { throttleMs: options.progressThrottleMs },
  );
  executor.locals['sgKernel'] = runtime;

  let stopping = false;
  const shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(code), options.shutdownTimeoutMs);
    runtime.shutdown().finally(() => {
      clearTimeout(timer);
      process.exit(code);
    });
  };
  handler = new SgJupyterHandler(executor, runtime, () => setImmediate(() => shutdown(0)));
  const server = new SgZmqServer(handler, options.configPath);

  process.on('SIGINT', () => {
    executor.interrupt();
    runtime.interrupt();
  });
  process.on('SIGTERM', () => shutdown(0));
  if (options.watchParent) watchParent(() => shutdown(0));
  process.on('uncaughtException', (err) => console.error('UncaughtException:', err));
  process.on('unhandledRejection', (reason) => console.error('UnhandledPromiseRejection:', reason));
  await server.init();
  if (process.env['SG_KERNEL_TIMING']) console.error(`sg-kernel ready in ${Math.round(performance.now() - t0)} ms`);
}
