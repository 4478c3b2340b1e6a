import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const STOP_GRACE_MS = 2_000;

/** Every helper process still running, so that an abrupt exit of the bench can kill them. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A helper process of the bench (a baseline peer, the simulated servers) that
 * announces itself with one JSON line on stdout and exits when its stdin
 * closes, so it never outlives the bench, even if the bench is killed.
 */
export class JsonLineChild<T> {
  private constructor(
    private readonly child: ChildProcess,
    readonly info: T,
  ) {}

  /** Starts `node script ...args` and resolves with its first stdout line, parsed, within `timeoutMs`. */
  static async start<T>(what: string, script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<JsonLineChild<T>> {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    live.add(child);
    child.once('exit', () => live.delete(child));
    child.stdin?.on('error', () => undefined);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-2000); });
    try {
      const info = await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms`)), timeoutMs);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${what} exited (${signal ?? `code ${String(code)}`}) before it was ready: ${stderr.trim()}`));
        });
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
          clearTimeout(timer);
          try {
            resolve(JSON.parse(line) as T);
          } catch {
            reject(new Error(`${what} said ${JSON.stringify(line)}`));
          }
        });
      });
      return new JsonLineChild(child, info);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Closes its stdin (it exits by itself), then SIGKILLs it if it is still there after a grace period. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
