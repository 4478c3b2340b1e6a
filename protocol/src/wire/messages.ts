import type { Payload } from '../payload.js';
import { PayloadList } from '../payload-list.js';
import type { ServerSpec } from '../transport/server-spec.js';
import type { ErrorState } from '../value/error-state.js';

/** Bumped on any incompatible change; a message of another version is dropped with a log line. */
export const PROTOCOL_VERSION = 1;

/** How often an executor sends what its running task printed, at most. */
export const OUTPUT_INTERVAL_MS = 100;

/** The function a set runs: a name known to the executors, or JavaScript source to evaluate there. */
export type FnRef = ({ name: string; source?: undefined } | { source: string; name?: string }) & {
  /** Worker server → executor: whose installed modules the name (or the source's free names) resolve in. */
  scope?: string;
};

/** A task on its way to an executor; `fn` indexes the batch's `fns`; `timeoutMs` 0 means none. Many travel in one `run` message. */
export type TaskItem = [id: number, fn: number, args: Payload, timeoutMs: number];
/** A finished task: its value, or the ErrorState of what it threw when `ok` is false, and what it printed ('' if nothing). */
export type ResultItem = [id: number, ok: boolean, value: Payload, ms: number, pid: number, output: string];
/** A result as the client sees it: set and index in place of the controller's task id; `ms` its run time, when an executor ran it. */
export type ClientResultItem = [set: number, index: number, ok: boolean, value: Payload, server: number, pid: number, output: string, ms?: number];
/** What a running task printed since its previous chunk (executor → server → controller, by task id there). */
export type OutputItem = [id: number, text: string];
/** The same, as the client sees it: set and index in place of the controller's task id. */
export type ClientOutputItem = [set: number, index: number, text: string];
/**
 * An executor as its server reports it; a pong adds its resident memory in bytes, its CPU use
 * over the last second (1 = one core) and the asking controller's id of the task it runs (-1: unknown, none, or another's).
 */
export type ExecutorInfo = [pid: number, busy: boolean, rss?: number, cpu?: number, task?: number];
export type ServerReadyInfo = { url: string; executors: number };
/** A task's reference inputs: the task (index in its set, or wire id in a run) and the reference ids in its arguments. */
export type TaskInputs = [task: number, refs: string[]];
/** Where a reference can be fetched: the URLs of the worker servers holding it, best first. */
export type RefSource = [ref: string, urls: string[]];

/**
 * Every message between scattergather processes, by type. Which socket may carry
 * which is `CHANNELS` below; each message is defined here once, whatever its channel.
 */
export interface MessageFields {
  /**
   * `tasks`: one payload per task, in order, held as one list (see PayloadList).
   * `keep`: each result stays on the server that made it, as reference `s<set>.<index>`; the client gets the reference.
   * `inputs`: the tasks (by index) whose arguments hold references at the top level, and their ids.
   */
  submit: { set: number; fn: FnRef; tasks: PayloadList; timeoutMs?: number; retries?: number; keep?: boolean; inputs?: TaskInputs[] };
  /** `timeoutMs`: how long the module may take to load on each executor (default 30 s); `scope` is set by the worker server for its executors. */
  install: { req: number; name: string; code: string; timeoutMs?: number; scope?: string };
  /** Worker server → executor: forget every module of this scope (its controller went away). */
  uninstall: { scope: string };
  /** Worker server → executor: these kept values (by store key) were released; drop any decoded copy. */
  drop: { keys: string[] };
  /**
   * `servers`: for 'add-servers', worker servers to connect to while running (a launcher's jobs as they start).
   * `server` and `why`: for 'server-exited', the number of a server whose process the client saw exit (one it started).
   */
  command: { req: number; name: string; set?: number; servers?: ServerSpec[]; server?: number; why?: string };
  ready: { servers: ServerReadyInfo[] };
  results: { items: ClientResultItem[] };
  reply: { req: number; ok: boolean; value?: unknown; error?: ErrorState };
  /**
   * `heartbeatMs` tells a server how often to expect us, so it can forget a controller that went silent.
   * `req` comes back in the pong: negative for the controller's heartbeats, positive for a request awaiting the answers of all servers.
   */
  ping: { req: number; heartbeatMs?: number; weight?: number };
  /**
   * `instance` changes when a server restarts, or forgot this controller (silent past its heartbeats) and it
   * spoke again: either way whatever the server held for it before is gone, modules and kept values included.
   * `processId` (newer servers) names the server process alone, so that a controller can tell the two apart:
   * only a restart can be a task's fault.
   * `held`: the ids of this controller's tasks the server holds (queued, running, or finished but not yet sent);
   * every `done` sent before this pong left first, on the same socket. A task sent before the ping that is
   * neither held nor answered is lost, and the controller runs it again.
   * `draining`: the server is about to stop (e.g. at a Slurm walltime): give it no new tasks.
   */
  pong: { req: number; executors: ExecutorInfo[]; instance: string; processId?: string; held?: number[]; draining?: boolean };
  /**
   * `keep`: the tasks (by wire id) whose results the server keeps under a reference id, answering with a Ref.
   * `inputs`: the tasks (by wire id) whose arguments hold references; `sources`: where to fetch each one it lacks.
   */
  run: { fns: FnRef[]; tasks: TaskItem[]; keep?: Array<[id: number, ref: string]>; inputs?: TaskInputs[]; sources?: RefSource[] };
  done: { results: ResultItem[] };
  /**
   * Live output of running tasks, coalesced (an executor sends at most one per
   * OUTPUT_INTERVAL_MS); the result still carries the task's whole output.
   */
  output: { items: OutputItem[] };
  /** Controller → client: `output`, by set and index. */
  printed: { items: ClientOutputItem[] };
  installed: { req: number; names?: string[]; error?: ErrorState };
  refresh: { req: number };
  /** `error`: the fresh executors did not all start (the old ones are gone all the same). */
  refreshed: { req: number; executors: ExecutorInfo[]; error?: ErrorState };
  /**
   * Tasks handed back unrun, or cut off, to be run elsewhere at no task's cost. `draining`: the server stops
   * taking tasks (it is stopping, or its walltime is near), as its pongs say from now on: give it nothing new,
   * and what it still holds is, if it goes silent before handing it back, no task's fault either.
   */
  returned: { ids: number[]; draining?: boolean };
  lost: { ids: number[]; reason: string; pid: number };
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  bye: {};
  /** Stop these tasks: drop them if queued, replace the executor running one. */
  cancel: { ids: number[] };
  /**
   * Kept values. `fetch`: a controller asks for its own, or a worker server asks another on behalf of
   * controller `owner` (its routing id, hex); `fetched` answers in order, null for one not held.
   */
  fetch: { req: number; refs: string[]; owner?: string };
  fetched: { req: number; values: Array<Payload | null> };
  /** `put` places a value under a reference id; `stored` answers (an error when the server refuses it). */
  put: { req: number; ref: string; value: Payload };
  stored: { req: number; size?: number; error?: ErrorState };
  /** Forget these kept values. */
  release: { refs: string[] };
  /** Controller → client: a server cannot be used as configured; `aboutKey` when it refused our key (older controllers: absent). */
  trouble: { server: number; reason: string; aboutKey?: boolean };
  up: { pid: number };
}

export type MessageType = keyof MessageFields;
export type Message<T extends MessageType = MessageType> = { [K in T]: { t: K } & MessageFields[K] }[T];

/**
 * The messages each socket carries, by direction. A process types its sends and
 * its handler table by channel, so a message meant for another socket fails to
 * compile instead of being dropped by the peer at run time.
 */
export const CHANNELS = {
  /** client PUSH → controller PULL */
  clientToController: ['submit', 'install', 'command', 'fetch', 'put', 'release'],
  /** controller PUSH → client PULL */
  controllerToClient: ['ready', 'results', 'reply', 'trouble', 'printed'],
  /** controller DEALER → worker server ROUTER */
  controllerToServer: ['ping', 'run', 'install', 'refresh', 'cancel', 'bye', 'fetch', 'put', 'release'],
  /** worker server ROUTER → controller DEALER */
  serverToController: ['pong', 'done', 'installed', 'refreshed', 'returned', 'lost', 'output', 'fetched', 'stored'],
  /** worker server DEALER → another worker server's ROUTER: fetching a task's input */
  serverToPeer: ['fetch'],
  /** worker server ROUTER → the DEALER of a worker server fetching from it */
  peerToServer: ['fetched'],
  /** worker server ROUTER → executor DEALER */
  serverToExecutor: ['run', 'install', 'uninstall', 'fetched', 'drop'],
  /** executor DEALER → worker server ROUTER; its results go on its result pipe, and a byte on the server's doorbell FIFO says to read it; `fetch` asks for the values behind a task's references */
  executorToServer: ['up', 'installed', 'output', 'fetch'],
} as const satisfies Record<string, readonly MessageType[]>;

export type Channel = keyof typeof CHANNELS;
/** The message types `channel` carries. */
export type ChannelType<C extends Channel> = (typeof CHANNELS)[C][number];
/** A message that `channel` carries. */
export type ChannelMessage<C extends Channel> = Message<ChannelType<C>>;

type FieldKind = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'payloads';

/** The required top-level fields of each message and their kinds; deeper items are checked where they are used. */
export const MESSAGE_SHAPES: { readonly [K in MessageType]: Readonly<Record<string, FieldKind>> } = {
  submit: { set: 'number', fn: 'object', tasks: 'payloads' },
  install: { req: 'number', name: 'string', code: 'string' },
  uninstall: { scope: 'string' },
  drop: { keys: 'array' },
  command: { req: 'number', name: 'string' },
  ready: { servers: 'array' },
  results: { items: 'array' },
  reply: { req: 'number', ok: 'boolean' },
  ping: { req: 'number' },
  pong: { req: 'number', executors: 'array', instance: 'string' },
  run: { fns: 'array', tasks: 'array' },
  done: { results: 'array' },
  output: { items: 'array' },
  printed: { items: 'array' },
  installed: { req: 'number' },
  refresh: { req: 'number' },
  refreshed: { req: 'number', executors: 'array' },
  returned: { ids: 'array' },
  lost: { ids: 'array', reason: 'string', pid: 'number' },
  bye: {},
  cancel: { ids: 'array' },
  fetch: { req: 'number', refs: 'array' },
  fetched: { req: 'number', values: 'array' },
  put: { req: 'number', ref: 'string', value: 'object' },
  stored: { req: 'number' },
  release: { refs: 'array' },
  trouble: { server: 'number', reason: 'string' },
  up: { pid: 'number' },
};

export function hasShape(type: MessageType, fields: Record<string, unknown>): boolean {
  const shape = MESSAGE_SHAPES[type];
  for (const key in shape) {
    const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
    const kind = shape[key];
    if (!isOfKind(value, kind as FieldKind)) return false;
  }
  return true;
}

function isOfKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object';
    case 'payloads': return value instanceof PayloadList;
    default: return typeof value === kind;
  }
}
