/**
 * What the rewritten magic lines call: the global `sgKernel` in every cell.
 * Kept small and free of implementation types, because tslab's own compiler
 * type-checks every cell against this declaration.
 */
import type { HandleLike, SetHandle, SetProgress } from '../client/api-types.js';

export type ClusterSpec =
  | { action: 'local'; procs?: number; servers?: number; options: ClusterOptions }
  | { action: 'connect'; servers: Array<{ url: string; workers?: number }>; options: ClusterOptions }
  | { action: 'ssh'; hosts: Array<{ host: string; procs?: number }>; launch: SshLaunchOptions; options: ClusterOptions }
  | { action: 'status' | 'refresh' | 'die' };

export interface ClusterOptions {
  keyFile?: string;
  noKey?: boolean;
  logFile?: string;
  retries?: number;
  heartbeatMs?: number;
  timeoutMs?: number;
  readyTimeoutMs?: number;
}

/** `%cluster ssh` flags, as sshCluster's options of the same names. */
export interface SshLaunchOptions {
  procs?: number;
  sshArgs?: string[];
  workerCommand?: string;
  advertise?: string;
}

export interface ScatterOptions {
  timeoutMs?: number;
  retries?: number;
}

/** Options every magic call gets: `show` makes its value the cell's execute_result. */
export interface CallOptions {
  show: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FunctionValue = (...args: any[]) => unknown;

export interface MagicRuntimeApi {
  cluster(spec: ClusterSpec, call: CallOptions): Promise<unknown>;
  scatter(
    fn: string | FunctionValue,
    set: ReadonlyArray<readonly unknown[]>,
    options: ScatterOptions,
    call: CallOptions,
  ): Promise<SetHandle>;
  /** `%gather --wait`: the set's results in input order. */
  gather(handle: HandleLike | undefined, options: { timeoutMs?: number }, call: CallOptions): Promise<unknown[]>;
  /** `%gather` without `--wait`: what has arrived so far. */
  peek(handle: HandleLike | undefined, call: CallOptions): Promise<SetProgress>;
  cancel(handle: HandleLike | undefined, call: CallOptions): Promise<SetProgress>;
  remote(source: string, options: { name?: string }, call: CallOptions): Promise<string[]>;
  chart(value: unknown, options: { title?: string; bins?: number }, call: CallOptions): Promise<unknown>;
  /** Throws the error the rewriter found in the cell (by its number). */
  fail(id: number): never;
}
