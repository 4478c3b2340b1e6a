import type { RemoteError } from './remote-error.js';
import type { RemoteFunction, Result, SetHandle } from './typed-sets.js';

export type * from './typed-sets.js';

export interface ClientOptions {
  /** Where the controller writes its log (default: nowhere). */
  logFile?: string;
  /** The cluster key every worker server was started with (default: the user's own, `~/.config/scattergather/cluster.key`, made if missing). */
  keyFile?: string;
  /** Talk to servers started with `--no-key`: nothing is encrypted or authenticated (loopback only). */
  noKey?: boolean;
  /** Times a task whose executor or server died is run again elsewhere (default 2). */
  retries?: number;
  /** Heartbeat period between controller and servers (default 1000). */
  heartbeatMs?: number;
  /** Default per-task time limit (default: none). */
  timeoutMs?: number;
  /** This client's share of each worker server's executors when other clients queue work there too, relative to theirs (default 1). */
  weight?: number;
  /** How long `ready()` waits for every server to answer (default 20000). */
  readyTimeoutMs?: number;
  /**
   * Every server runs on this machine as this user: typed arrays of 64 KiB or more in a set's
   * arguments are written once to a private directory in memory (/dev/shm) and read there by
   * the executors, instead of crossing every hop. localCluster sets it.
   */
  sharedMemory?: boolean;
}

export interface LocalClusterOptions extends ClientOptions {
  /** sg-worker processes to start on 127.0.0.1 (default 1). */
  servers?: number;
  /** Executors per server (default: the number of cores). */
  procs?: number;
}

export interface SlurmClusterOptions extends ClientOptions {
  /** sg-worker jobs to submit, one per node. */
  nodes: number;
  /** Executors per node; each job asks for this many CPUs (default: whole nodes, `--exclusive`, one executor per CPU). */
  procsPerNode?: number;
  /** Slurm partition (default: the cluster's default partition). */
  partition?: string;
  /** Walltime in Slurm's formats (minutes, MM:SS, HH:MM:SS, D-HH:MM:SS); workers drain shortly before it. */
  time?: string | number;
  /** More sbatch options, each written as an `#SBATCH` line after ours, e.g. ['--mem=4G', '--account=abc']. */
  sbatchArgs?: string[];
  /** Shell lines the job runs before the worker, e.g. ['module load nodejs']. */
  prologue?: string[];
  /** The host workers tell controllers to use (default: each node's hostname); evaluated in the job, so `$(hostname -i)` works. */
  advertise?: string;
  /** The shell command that starts sg-worker in a job (default: this Node and this install's sg-worker, for a shared filesystem). */
  workerCommand?: string;
  /** Where the jobs' output goes (default $XDG_CACHE_HOME/scattergather/slurm); the nodes must write where this machine reads. */
  outputDir?: string;
  /** Job name (default 'sg-worker'). */
  jobName?: string;
  /** Submit nothing: resolve with the job script instead. */
  dryRun?: boolean;
}

/** Per-set options of `map`: a task's time limit and how often it is re-run after a crash. */
export interface MapOptions {
  timeoutMs?: number;
  retries?: number;
}

export interface AddJobOptions<F extends RemoteFunction = RemoteFunction> extends MapOptions {
  fn: F;
  /** Leave each result on the server that made it; the handle's `refs()` name them (see fetch, release). */
  keep?: boolean;
}

/** One task's outcome: `value` is the function's result when `ok`, else the `RemoteError`. */
export type TaskResult<T = unknown> = {
  set: number;
  index: number;
  /** What the task printed to stdout and stderr, when it printed anything. */
  output?: string;
} & ({ ok: true; value: T } | { ok: false; value: RemoteError });

/** What a running task printed since its previous chunk (`results(h, { output: true })`). */
export interface TaskOutput {
  set: number;
  index: number;
  output: string;
}

export interface PollReport<T = unknown> {
  /** Tasks finished without error, over every set so far. */
  done: number;
  /** Tasks not finished yet. */
  pending: number;
  /** Tasks finished with an error. */
  failed: number;
  /** The results that arrived since the previous poll. */
  results: Array<TaskResult<T>>;
}

/** A set's state at this moment, as `%gather` without `--wait` shows it. */
export interface SetProgress<T = unknown> {
  handle: SetHandle<T>;
  done: number;
  failed: number;
  pending: number;
  complete: boolean;
  /** ms since epoch */
  startedAt: number;
  finishedAt?: number;
  /** In input order; a hole where nothing has arrived yet. Live and read-only: copy it to keep it. */
  results: ReadonlyArray<Result<T>>;
}

export interface ReadyInfo {
  servers: number;
  executors: number;
}

export interface ClusterStatus {
  controller: { pid: number };
  servers: Array<{ url: string; alive: boolean; executors: number }>;
  /** `rss` (bytes) and `cpu` (1 = one core, over the last second) when the server can measure them; `task`: what it runs. */
  executors: Array<{ pid: number; server: string; busy: boolean; rss?: number; cpu?: number; task?: { set: number; index: number } }>;
  queued: number;
  running: number;
  done: number;
  failed: number;
  /** Every kept result and put value this client holds: its size (-1 until made) and the servers holding it. */
  refs: Array<{ id: string; size: number; state: 'pending' | 'ready' | 'failed'; servers: string[] }>;
  /** Which sets (or put values, `p<n>`) feed which sets through references: `{ from: 's3' | 'p1', to: 4 }`. */
  feeds: Array<{ from: string; to: number }>;
}

/** A module made resident on the executors by `install`. */
export interface InstalledModule {
  name: string;
  exports: string[];
}

export interface WaitOptions {
  /** Reject with a WaitTimeoutError after this many ms; the set keeps running. */
  timeoutMs?: number;
  /** Abort the wait (not the set): the kernel uses this for interrupts. */
  signal?: AbortSignal;
}

export type ControllerCommand = 'refresh' | 'die';

/** What `command('refresh')` resolves with: the pids of the fresh executors. */
export interface RefreshInfo {
  pids: number[];
}

/** A machine for `sshCluster`: an ssh destination ('node7', 'user@node7', an alias from ~/.ssh/config). */
export interface SshHost {
  host: string;
  /** Executors of this host's sg-worker (default: `procs`, else the host's number of cores). */
  procs?: number;
  /** The address controllers use to reach this host (default: `advertise`, else the HostName ssh resolves it to). */
  advertise?: string;
}

export interface SshClusterOptions extends ClientOptions {
  /** Executors per host (default: each host's number of cores). */
  procs?: number;
  /** Extra ssh arguments before the destination, e.g. ['-F', 'my_config'] or ['-J', 'bastion']. */
  sshArgs?: string[];
  /**
   * The command that runs sg-worker on the hosts, as the remote shell reads it (default: this
   * machine's node and sg-worker paths, right where the hosts share the same paths, e.g. a shared home).
   */
  workerCommand?: string;
  /** The address controllers are told to use for every host (default: each host's own, see SshHost). */
  advertise?: string;
}
