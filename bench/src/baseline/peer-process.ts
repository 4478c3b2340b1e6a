import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CURVE_SECRET_ENV, type PeerEndpoints, type Transport } from './peer-endpoints.js';

const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 2_000;

/** Every peer still running, so that an abrupt exit of the bench can kill them. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A running peer.js process (see there) and the endpoints it bound. */
export class PeerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoints: PeerEndpoints,
    readonly transport: Transport,
  ) {}

  /** `curveSecretKey`: also bind a CURVE `ackCurve` socket with this server key (tcp only). */
  static async start(transport: Transport, curveSecretKey?: string): Promise<PeerProcess> {
    const env = { ...process.env };
    if (curveSecretKey !== undefined) env[CURVE_SECRET_ENV] = curveSecretKey;
    // stdin is a pipe from us: the peer exits when it closes, even if we are killed.
    const child = spawn(process.execPath, [join(__dirname, 'peer.js'), transport], { stdio: ['pipe', 'pipe', 'pipe'], env });
    live.add(child);
    child.once('exit', () => live.delete(child));
    child.stdin?.on('error', () => undefined);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-2000); });
    try {
      const endpoints = await new Promise<PeerEndpoints>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the ${transport} baseline peer did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`the ${transport} baseline peer exited (${signal ?? `code ${String(code)}`}) before it was ready: ${stderr.trim()}`));
        });
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
          clearTimeout(timer);
          try {
            resolve(JSON.parse(line) as PeerEndpoints);
          } catch {
            reject(new Error(`the ${transport} baseline peer said ${JSON.stringify(line)}`));
          }
        });
      });
      return new PeerProcess(child, endpoints, transport);
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
