/**
 * Jupyter interrupts a kernel by sending SIGINT to its whole process group
 * (jupyter_client's `killpg`), which would also stop the controller and the
 * local sg-worker processes that the client spawned. So `sg-kernel kernel`
 * runs the real kernel as a detached child (its own process group, shared with
 * the cluster processes it starts) and forwards signals to that one process.
 * The child stops when this parent goes away (its stdin closes), even on SIGKILL.
 */
import { spawn } from 'node:child_process';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Runs `script args…` as the isolated kernel process and mirrors its exit. */
export function runIsolated(script: string, args: readonly string[]): void {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  for (const signal of FORWARDED) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    console.error(`sg-kernel: could not start the kernel process: ${e.message}`);
    process.exit(1);
  });
}

/** In the isolated child: calls `onParentGone` when the parent's end of stdin closes. */
export function watchParent(onParentGone: () => void): void {
  process.stdin.on('end', onParentGone);
  process.stdin.on('error', onParentGone);
  process.stdin.resume();
}
