#!/usr/bin/env node
/** sg-kernel: the scattergather Jupyter kernel (tslab with scatter/gather magics) and its installer. */
import { Command, Option } from 'commander';
import { startKernel } from '../kernel/kernel-main.js';
import { DISPLAY_NAME, installKernelspec, KERNEL_NAME } from '../kernel/kernelspec.js';
import { runIsolated } from '../kernel/process-isolation.js';
import { CELL_MAGICS, LINE_MAGICS } from '../kernel/magic-table.js';

const program = new Command('sg-kernel')
  .description(
    `The Jupyter kernel "${KERNEL_NAME}" (${DISPLAY_NAME}): tslab for TypeScript cells plus the magics\n` +
      '%cluster, %scatter, %gather, %cancel, %fetch, %chart and %%remote; the client is the global `sg`.\n' +
      'Press Shift-Tab on a magic in a notebook for its help.',
  )
  .showHelpAfterError()
  .addHelpText('after', () => {
    const magics = [...Object.values(LINE_MAGICS), ...Object.values(CELL_MAGICS)];
    return (
      '\nMagics (a magic\'s value is the cell\'s result; `const x = %magic ...` assigns it):\n\n' +
      magics.map((m) => `${m.usage}\n  ${m.summary}`).join('\n\n') +
      '\n\nSet up: sg-kernel install --prefix DIR, then start Jupyter with JUPYTER_PATH=DIR/share/jupyter\n' +
      '(npm start does this for notebooks/). Interrupt the kernel to end a wait; the set keeps running.'
    );
  });

program
  .command('install')
  .description(`register the kernelspec "${KERNEL_NAME}" with Jupyter (no Python needed)`)
  .option('--user', 'into the per-user Jupyter data dir (default unless root)')
  .option('--prefix <dir>', 'into DIR/share/jupyter/kernels/')
  .option('--sys-prefix', "into the prefix of the `jupyter` on PATH (e.g. /usr)")
  .option('--name <name>', 'kernelspec name', KERNEL_NAME)
  .action((opts: { user?: boolean; prefix?: string; sysPrefix?: boolean; name: string }) => {
    const dir = installKernelspec(opts, __filename, opts.name);
    console.log(`Installed kernelspec ${opts.name} in ${dir}`);
  });

program
  .command('kernel')
  .description('run the kernel (Jupyter starts it with the connection file)')
  .requiredOption('--config-path <file>', 'the Jupyter connection file')
  .option('--progress-ms <ms>', 'minimum time between two updates of a progress bar', '200')
  .option('--shutdown-timeout-ms <ms>', 'how long shutdown waits for the cluster to stop', '5000')
  .option('--no-isolate', 'run in this process (interrupts then also reach the cluster processes it starts)')
  .addOption(new Option('--isolated-child', 'internal: this is the isolated kernel process').hideHelp())
  .action(async (opts: { configPath: string; progressMs: string; shutdownTimeoutMs: string; isolate: boolean; isolatedChild?: boolean }) => {
    if (opts.isolate && !opts.isolatedChild) {
      const args = ['kernel', '--config-path', opts.configPath, '--progress-ms', opts.progressMs, '--shutdown-timeout-ms', opts.shutdownTimeoutMs, '--isolated-child'];
      runIsolated(__filename, args);
      return;
    }
    await startKernel({
      watchParent: opts.isolatedChild === true,
      configPath: opts.configPath,
      progressThrottleMs: Number(opts.progressMs),
      shutdownTimeoutMs: Number(opts.shutdownTimeoutMs),
    });
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`sg-kernel: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
