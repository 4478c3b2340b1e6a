import {
  BUILTIN_FUNCTIONS, decodeValue, PayloadListBuilder, type ErrorState, type Message, type ServerSpec,
} from '@scattergather/protocol';
import type {
  AddJobOptions, ClientOptions, ClusterStatus, ControllerCommand, HandleLike, PollReport, ReadyInfo, RefreshInfo,
  ScatterSet, SetHandle, SetProgress, TaskResult, WaitOptions,
} from './api-types.js';
import { compileModule } from './compile-module.js';
import { ControllerProcess } from './controller-process.js';
import { ScatterGatherError } from './errors.js';
import { toFnRef } from './fn-ref.js';
import { RemoteError } from './remote-error.js';
import { RequestTracker } from './request-tracker.js';
import { SetStore, type SetEntry } from './set-store.js';
import { SharedArrayDir } from './shared-array-dir.js';
import { waitFor } from './wait-for.js';
import { encodeTask } from './encode-task.js';

const DEFAULT_READY_TIMEOUT_MS = 20_000;

/**
 * The client: queues scatter sets to its controller and collects their results.
 * One object backs the API and the notebook magics (the global `sg`).
 */
export class ScatterGather {
  private readonly controller = new ControllerProcess();
  private readonly requests = new RequestTracker();
  private readonly store = new SetStore();
  private readonly installed = new Set<string>();
  private readyInfo: ReadyInfo | undefined;
  /** Why a server cannot be used (a refused handshake), by URL. */
  private readonly troubles = new Map<string, string>();
  private readyWakers: Array<() => void> = [];
  private closed = false;
  private modulesInstalled = 0;
  /** Where big typed arrays of arguments go when every server shares this machine (options.sharedMemory). */
  private readonly shared: SharedArrayDir | undefined;
  /** Run once by close(), after the controller is gone (a local cluster stops its servers here). */
  onClose: (() => Promise<void>) | undefined;

  private constructor(
    private readonly servers: ServerSpec[],
    private readonly options: ClientOptions,
  ) {
    this.shared = options.sharedMemory === true ? new SharedArrayDir() : undefined;
  }

  /**
   * @internal use spawnScatterGather or localCluster. Servers still starting (a promise) are handed
   * to the controller once known: it starts meanwhile, so its start-up overlaps theirs.
   */
  static async start(servers: ServerSpec[] | Promise<ServerSpec[]>, options: ClientOptions): Promise<ScatterGather> {
    const known = Array.isArray(servers) ? servers : undefined;
    const client = new ScatterGather(known ?? [], options);
    await client.controller.start(known ?? 'later', options, {
      ready: ({ servers: info }) => client.onReady(info.reduce((n, s) => n + s.executors, 0)),
      results: (message) => client.onResults(message),
      reply: (message) => client.requests.settle(message),
      trouble: ({ server, reason }) => client.onTrouble(server, reason),
    });
    void client.controller.exited.then(({ code, signal }) => client.onControllerExit(code, signal));
    if (known === undefined) {
      try {
        const specs = await servers;
        client.servers.push(...specs);
        client.controller.sendServers(specs);
      } catch (error) {
        await client.controller.stop(0);
        client.shared?.remove();
        throw error;
      }
    }
    return client;
  }

  /** Resolves once every server has answered: how many there are and how many executors they have. */
  async ready(options: { timeoutMs?: number } = {}): Promise<ReadyInfo> {
    const timeoutMs = options.timeoutMs ?? this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    try {
      await waitFor(() => this.readyInfo !== undefined || this.store.broken !== undefined || this.troubles.size > 0, (wake) => this.readyWakers.push(wake), { timeoutMs, what: 'the cluster to be ready' });
    } catch (error) {
      throw await this.notReadyError(timeoutMs, error as Error);
    }
    if (this.store.broken !== undefined) throw this.store.broken;
    if (this.readyInfo === undefined) {
      const why = [...this.troubles].map(([url, reason]) => `${url}: ${reason}`).join('\n');
      throw new ScatterGatherError('ERR_KEY_REFUSED', `a worker server refused this client's handshake, so no task was sent to it. Start every sg-worker with --key-file and give the client the same file (keyFile):\n${why}`);
    }
    return this.readyInfo as ReadyInfo;
  }

  /** Queues a scatter set and returns its handle at once. */
  addJob(set: ScatterSet, options: AddJobOptions): SetHandle {
    this.checkOpen();
    if (!Array.isArray(set)) throw new ScatterGatherError('ERR_SET', 'a scatter set is an array of tasks, each [args] or [args, kwargs]');
    const { ref, label } = toFnRef(options.fn, this.functions());
    const builder = new PayloadListBuilder();
    try {
      for (let index = 0; index < set.length; index++) encodeTask(set[index], index, builder, this.shared);
    } catch (error) {
      this.shared?.dropPlaced();
      throw error;
    }
    const tasks = builder.build();
    const handle = this.store.add(label, tasks.length);
    this.shared?.claim(handle.id);
    const message: Message<'submit'> = { t: 'submit', set: handle.id, fn: ref, tasks };
    if (options.retries !== undefined) message.retries = options.retries;
    if (options.timeoutMs !== undefined) message.timeoutMs = options.timeoutMs;
    if (tasks.length > 0) this.controller.send(message);
    return handle;
  }

  /** Never blocks: totals, and the results that arrived since the previous poll. */
  poll(): PollReport {
    return this.store.poll();
  }

  /** Where set `h` stands now (default: the oldest unfinished). */
  progress(h?: HandleLike): SetProgress {
    return (h === undefined ? this.store.defaultSet() : this.store.get(h)).progress();
  }

  /** Calls `listener` whenever results of `h` arrive (once per batch) and at completion; returns the unsubscribe function. */
  onProgress(h: HandleLike, listener: (progress: SetProgress) => void): () => void {
    const entry = this.store.get(h);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  sets(): SetHandle[] {
    return this.store.handles();
  }

  /** Blocks until set `h` (default: the oldest unfinished) is complete; its results in input order. */
  async waitForResult(h?: HandleLike, options: WaitOptions = {}): Promise<unknown[]> {
    const entry = h === undefined ? this.store.defaultSet() : this.store.get(h);
    await this.waitForEntry(entry, () => entry.complete, options, `set ${entry.handle.id} to complete`);
    return [...entry.results];
  }

  /** What each task of set `h` printed to stdout and stderr, in input order ('' for nothing or not yet). */
  output(h?: HandleLike): string[] {
    return [...(h === undefined ? this.store.defaultSet() : this.store.get(h)).outputs];
  }

  /** Set `h`'s results in completion order, those already in first; without `h`, every result from now on. */
  async *results(h?: HandleLike): AsyncGenerator<TaskResult> {
    if (h === undefined) {
      yield* this.store.everyResult();
      return;
    }
    const entry = this.store.get(h);
    for (let i = 0; ; i++) {
      await this.waitForEntry(entry, () => i < entry.arrivals.length || entry.complete, {}, `results of set ${entry.handle.id}`);
      if (i >= entry.arrivals.length) return;
      const index = entry.arrivals[i] as number;
      const output = entry.outputs[index] ?? '';
      const result: TaskResult = { set: entry.handle.id, index, ok: entry.oks[index] as boolean, value: entry.results[index] };
      yield output === '' ? result : { ...result, output };
    }
  }

  /** Compiles TypeScript and makes the module's exports resident on every executor, now and after restarts. */
  async install(source: string, options: { name?: string } = {}): Promise<string[]> {
    this.checkOpen();
    const name = options.name ?? `module${++this.modulesInstalled}`;
    const code = compileModule(source, name);
    const names = (await this.request({ t: 'install', req: 0, name, code })) as string[];
    for (const n of names) this.installed.add(n);
    return names;
  }

  /** Built-in and installed function names, for completion and checks. */
  functions(): string[] {
    return [...BUILTIN_FUNCTIONS, ...this.installed];
  }

  command(name: 'refresh'): Promise<RefreshInfo>;
  command(name: 'die'): Promise<void>;
  async command(name: ControllerCommand): Promise<RefreshInfo | void> {
    this.checkOpen();
    if (name === 'die') return this.die();
    if (name !== 'refresh') throw new ScatterGatherError('ERR_COMMAND', `unknown command '${String(name)}'; use 'refresh' or 'die'`);
    return (await this.request({ t: 'command', req: 0, name })) as RefreshInfo;
  }

  /** Drops `h`'s queued tasks and stops its running ones; each gets a RemoteError 'CancelledError'. */
  async cancel(h?: HandleLike): Promise<void> {
    const entry = h === undefined ? this.store.defaultSet() : this.store.get(h);
    if (!entry.complete) await this.request({ t: 'command', req: 0, name: 'cancel', set: entry.handle.id });
  }

  async status(): Promise<ClusterStatus> {
    this.checkOpen();
    return (await this.request({ t: 'command', req: 0, name: 'status' })) as ClusterStatus;
  }

  /** Stops the controller and whatever localCluster started; safe to call twice. */
  async close(): Promise<void> {
    if (!this.closed) await this.die().catch(() => undefined);
    await this.controller.stop(2000);
    this.shared?.remove();
    const onClose = this.onClose;
    this.onClose = undefined;
    await onClose?.();
  }

  private async die(): Promise<void> {
    this.checkOpen();
    const reply = this.request({ t: 'command', req: 0, name: 'die' });
    this.closed = true;
    await Promise.race([reply.catch(() => undefined), this.controller.exited]);
    await this.controller.stop(5000);
  }

  private request(message: Message<'install'> | Message<'command'>): Promise<unknown> {
    if (this.store.broken !== undefined) return Promise.reject(this.store.broken);
    const { req, reply } = this.requests.open();
    this.controller.send({ ...message, req });
    return reply;
  }

  private async waitForEntry(entry: SetEntry, condition: () => boolean, options: WaitOptions, what: string): Promise<void> {
    await waitFor(() => condition() || this.store.broken !== undefined, (wake) => entry.wakers.push(wake), { ...options, what });
    if (!condition() && this.store.broken !== undefined) throw this.store.broken;
  }

  private onReady(executors: number): void {
    this.readyInfo = { servers: this.servers.length, executors };
    this.wakeReadyWaiters();
  }

  private wakeReadyWaiters(): void {
    for (const wake of this.readyWakers.splice(0)) wake();
  }

  private onTrouble(server: number, reason: string): void {
    this.troubles.set(this.servers[server]?.url ?? `server ${server}`, reason);
    this.wakeReadyWaiters();
  }

  private onResults({ items }: Message<'results'>): void {
    const touched = new Set<SetEntry>();
    for (const [set, index, ok, payload, server, pid, printed] of items) {
      const origin = { server: this.servers[server]?.url ?? '', pid, index, set };
      const output = typeof printed === 'string' ? printed : '';
      try {
        const value = ok ? decodeValue(payload) : new RemoteError(decodeValue(payload) as ErrorState, origin);
        this.store.record(set, index, ok, value, output, touched);
      } catch (error) {
        this.store.record(set, index, false, new RemoteError({ name: 'DecodeError', message: (error as Error).message }, origin), output, touched);
      }
    }
    this.store.settle(touched);
    if (this.shared !== undefined) for (const entry of touched) if (entry.complete) this.shared.release(entry.handle.id);
  }

  private onControllerExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ?? `code ${String(code)}`;
    const said = this.controller.stderr;
    const error = this.closed
      ? new ScatterGatherError('ERR_CLOSED', 'this client is closed; start a new one with spawnScatterGather or localCluster')
      : new ScatterGatherError('ERR_CONTROLLER_EXITED', `the controller (pid ${this.controller.pid}) exited (${how}); unfinished sets will not complete. Start a new client${said === '' ? '' : `. It said:\n${said}`}`);
    this.closed = true;
    this.store.break(error);
    this.requests.failAll(error);
    this.wakeReadyWaiters();
  }

  private checkOpen(): void {
    if (this.store.broken !== undefined) throw this.store.broken;
    if (this.closed) throw new ScatterGatherError('ERR_CLOSED', 'this client is closed; start a new one with spawnScatterGather or localCluster');
  }

  private async notReadyError(timeoutMs: number, cause: Error): Promise<Error> {
    if (this.store.broken !== undefined) return this.store.broken;
    const status = await Promise.race([this.status(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000).unref())]).catch(() => undefined);
    const silent = status?.servers.filter((s) => !s.alive).map((s) => s.url) ?? this.servers.map((s) => s.url);
    return new ScatterGatherError('ERR_NOT_READY', `no answer within ${timeoutMs} ms from ${silent.join(', ')} (the address${silent.length === 1 ? '' : 'es'} this client tried): is sg-worker running there and reachable from this machine? If it is known by another name or address here, start it with --advertise HOST (the launchers' advertise option) or list the address that works; it must also use the same key file`, { cause });
  }
}
