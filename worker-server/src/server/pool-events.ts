import type { OutputItem, Payload, ResultItem } from '@scattergather/protocol';

/** What the pool reports upward, to the controllers the tasks came from. */
export interface PoolEvents {
  results(owner: Buffer, results: ResultItem[]): void;
  /** The kept values stored under these keys (null for one not held). */
  kept(keys: readonly string[]): Promise<Array<Payload | null>>;
  /** What running tasks printed, by the owner's task ids. */
  output(owner: Buffer, items: OutputItem[]): void;
  lost(owner: Buffer, ids: number[], reason: 'ExecutorCrashed' | 'TimeoutError', pid: number): void;
  /** Tasks handed back unrun (their controller went silent, or the server stops): the controller runs them elsewhere. */
  returned(owner: Buffer, ids: number[]): void;
  /** A controller said goodbye, or went silent and is forgotten: it will take whatever it had here for gone (a new session), so nothing of it should stay. */
  forgotten(owner: Buffer): void;
}

export interface PoolOptions {
  size: number;
  /** Heap limit of each executor (node --max-old-space-size); a task past it kills only its executor. */
  maxMemoryMb?: number;
  /** The largest result an executor may send back. */
  maxResultBytes: number;
  /** How long a module may take to load, unless its install says otherwise. */
  installTimeoutMs?: number;
}
