/**
 * The part of the client API (`ScatterGather` in ../index.ts) that the kernel
 * uses, written structurally so the kernel depends on the contract, not on the
 * client's internals.
 */
import type {
  AddJobOptions,
  ClientOptions,
  ClusterStatus,
  ControllerCommand,
  HandleLike,
  KeptSetHandle,
  LocalClusterOptions,
  SlurmClusterOptions,
  ReadyInfo,
  ScatterSet,
  SetHandle,
  SetProgress,
  SshClusterOptions,
  SshHost,
  WaitOptions,
} from '../client/api-types.js';

export interface SgClient {
  ready(): Promise<ReadyInfo>;
  addJob(set: ScatterSet, options: AddJobOptions): SetHandle;
  progress(h: HandleLike): SetProgress;
  onProgress(h: HandleLike, listener: (p: SetProgress) => void): () => void;
  waitForResult(h?: HandleLike, options?: WaitOptions): Promise<unknown[]>;
  output(h?: HandleLike): string[];
  onOutput(h: HandleLike, listener: (index: number, text: string) => void): () => void;
  install(source: string, options?: { name?: string }): Promise<string[]>;
  functions(): string[];
  sets(): SetHandle[];
  command(c: ControllerCommand): Promise<unknown>;
  cancel(h: HandleLike): Promise<unknown>;
  fetch(h: KeptSetHandle): Promise<unknown[]>;
  status(): ClusterStatus | Promise<ClusterStatus>;
  dashboard(): Promise<string>;
  close(): Promise<void>;
}

export interface ClientModule {
  remoteFunction(name: string): unknown;
  spawnScatterGather(urls: Array<string | { url: string; workers?: number }>, options?: ClientOptions): Promise<SgClient>;
  localCluster(options?: LocalClusterOptions): Promise<SgClient>;
  sshCluster(hosts: ReadonlyArray<string | SshHost>, options?: SshClusterOptions): Promise<SgClient>;
  slurmCluster(options: SlurmClusterOptions & { dryRun: true }): Promise<string>;
  slurmCluster(options: SlurmClusterOptions): Promise<SgClient>;
}

/** The built-in functions of every executor (for completion before a cluster exists). */
export { BUILTIN_FUNCTIONS } from '@scattergather/protocol';
