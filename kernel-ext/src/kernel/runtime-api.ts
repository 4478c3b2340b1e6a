/**
 * What the rewritten magic lines call: the global `sgKernel` in every cell.
 * Kept small and free of implementation types, because tslab's own compiler
 * type-checks every cell against this declaration.
 */
import type { CheckedSet, HandleFor, HandleLike, RemoteFunction, Result, ResultOf, SetProgress } from '../client/api-types.js';

export type ClusterSpec =
  | { action: 'local'; procs?: number; servers?: number; options: ClusterOptions }
  | { action: 'connect'; servers: Array<{ url: string; workers?: number }>; options: ClusterOptions }
  | { action: 'ssh'; hosts: Array<{ host: string; procs?: number }>; launch: SshLaunchOptions; options: ClusterOptions }
  | { action: 'slurm'; slurm: SlurmSpec; options: ClusterOptions }
  | { action: 'status' | 'refresh' | 'die' }
  | { action: 'dashboard'; inline: boolean };

/** `%cluster slurm` flags, as slurmCluster options. */
export interface SlurmSpec {
  nodes: number;
  procsPerNode?: number;
  partition?: string;
  time?: string;
  advertise?: string;
  dryRun?: boolean;
}

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
  /** `--keep`: results stay on the servers; the handle's refs() name them. */
  keep?: boolean;
}

export interface GatherOptions {
  /** `--timeout S` (implies waiting). */
  timeoutMs?: number;
  /** `--all`: every result in full, not the first few. */
  all?: boolean;
}

/** Options every magic call gets: `show` makes its value the cell's execute_result. */
export interface CallOptions {
  show: boolean;
}

export interface MagicRuntimeApi {
  cluster(spec: ClusterSpec, call: CallOptions): Promise<unknown>;
  /** `%scatter`: the set is type-checked against the function, like `sg.addJob`'s. */
  scatter<F extends RemoteFunction, S extends readonly unknown[], K extends boolean = false>(fn: F, set: S & CheckedSet<S, F>, options: ScatterOptions & { keep?: K }, call: CallOptions): Promise<HandleFor<K, ResultOf<F>>>;
  /** `%gather --wait`: the set's results in input order. */
  gather<T>(handle: HandleLike<T> | undefined, options: GatherOptions, call: CallOptions): Promise<Array<Result<T>>>;
  /** `%gather` without `--wait`: what has arrived so far. */
  peek<T>(handle: HandleLike<T> | undefined, options: GatherOptions, call: CallOptions): Promise<SetProgress<T>>;
  cancel(handle: HandleLike | undefined, call: CallOptions): Promise<SetProgress>;
  /** `%fetch`: a kept set's values, brought back, in input order. */
  fetch(handle: HandleLike | undefined, options: GatherOptions, call: CallOptions): Promise<unknown[]>;
  remote(source: string, options: { name?: string }, call: CallOptions): Promise<string[]>;
  chart(value: unknown, options: { title?: string; bins?: number }, call: CallOptions): Promise<unknown>;
  /** Throws the error the rewriter found in the cell (by its number). */
  fail(id: number): never;
}
