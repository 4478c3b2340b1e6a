import { BUILTIN_FUNCTIONS, type ClientResultItem, type Message, type Ref, type ServerSpec } from '@scattergather/protocol';
import type {
  AddJobOptions, ClientOptions, ClusterStatus, ControllerCommand, HandleLike, InstalledModule, ItemOf, MapOptions, PollReport, ReadyInfo, RefreshInfo,
  CheckedSet, HandleFor, KeptSetHandle, RemoteFunction, Result, ResultOf, SetFor, SetHandle, SetProgress, TaskOutput, TaskResult, WaitOptions,
} from './api-types.js';
import { ClusterReadiness } from './cluster-readiness.js';
import { compileModule } from './compile-module.js';
import { ControllerProcess } from './controller-process.js';
import { MapError, ScatterGatherError } from './errors.js';
import { toFnRef } from './fn-ref.js';
import { RemoteError } from './remote-error.js';
import { RequestTracker } from './request-tracker.js';
import type { SetEntry } from './set-entry.js';
import { SetStore } from './set-store.js';
import { SharedArrayDir } from './shared-array-dir.js';
import { waitFor } from './wait-for.js';
import { encodeSet } from './encode-task.js';
import { resultsOf } from './set-results.js';
import { DashboardSlot } from '../dashboard/dashboard-slot.js';
import type { ResultTap } from '../dashboard/dashboard-source.js';
import { KeptValues, type KeptLike } from './kept-values.js';
import { toServerSpecs } from './server-list.js';

const DEFAULT_READY_TIMEOUT_MS = 20_000;

/**
 * The client: queues scatter sets to its controller and collects their results.
 * One object backs the API and the notebook magics (the global `sg`).
 */
export class ScatterGather {
  private readonly controller = new ControllerProcess();
  private readonly requests = new RequestTracker();
  private readonly store = new SetStore();
  /** Export names by installed module name. */
  private readonly installed = new Map<string, string[]>();
  /** Who hears every batch of results as it arrives (the dashboard), with the URL of each result's server. */
  private readonly resultTaps = new Set<ResultTap>();
  private readonly dashboardSlot = new DashboardSlot(this);
  private readonly kept = new KeptValues({
    request: (message) => this.request(message),
    send: (message) => this.controller.send(message),
    waitForResult: (h) => this.waitForResult(h),
  });
  private readonly readiness: ClusterReadiness;
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
    this.readiness = new ClusterReadiness(servers);
  }

  /**
   * @internal use spawnScatterGather or localCluster. Servers still starting (a promise) are handed
   * to the controller once known: it starts meanwhile, so its start-up overlaps theirs.
   */
  static async start(servers: ServerSpec[] | Promise<ServerSpec[]>, options: ClientOptions): Promise<ScatterGather> {
    const known = Array.isArray(servers) ? servers : undefined;
    const client = new ScatterGather(known ?? [], options);
    await client.controller.start(known ?? 'later', options, {
      ready: ({ servers: info }) => client.readiness.onReady(info),
      results: ({ items }) => client.onResults(items),
      printed: ({ items }) => client.store.recordPrinted(items),
      reply: (message) => client.requests.settle(message),
      trouble: ({ server, reason }) => client.readiness.onTrouble(server, reason),
    }, client.shared?.dir);
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
    return this.readiness.wait(timeoutMs, () => this.store.broken, () => this.status());
  }

  /**
   * Queues a scatter set and returns its handle at once. Each task is `[args]` or
   * `[args, kwargs]`: `fn(...args)` or `fn(...args, kwargs)`. With a function value
   * or a built-in name the handle carries the result type.
   */
  addJob<F extends RemoteFunction, S extends readonly unknown[], K extends boolean = false>(set: S & CheckedSet<S, F>, options: AddJobOptions<F> & { keep?: K }): HandleFor<K, ResultOf<F>> {
    this.checkOpen();
    if (!Array.isArray(set)) throw new ScatterGatherError('ERR_SET', 'a scatter set is an array of tasks, each [args] or [args, kwargs]');
    const { ref, label } = toFnRef(options.fn, this.functions());
    const { tasks, inputs } = encodeSet(set, this.shared);
    const handle = this.store.add(label, tasks.length, options.keep === true) as HandleFor<K, ResultOf<F>>;
    this.shared?.claim(handle.id);
    const message: Message<'submit'> = { t: 'submit', set: handle.id, fn: ref, tasks };
    if (options.keep === true) message.keep = true;
    if (inputs.length > 0) message.inputs = inputs;
    if (options.retries !== undefined) message.retries = options.retries;
    if (options.timeoutMs !== undefined) message.timeoutMs = options.timeoutMs;
    if (tasks.length > 0) this.controller.send(message);
    return handle;
  }

  /**
   * One task per item, `fn(item)`; resolves to the results in input order. If any
   * task fails it rejects, once every task has ended, with a MapError carrying
   * every RemoteError and the results that did arrive.
   */
  async map<F extends RemoteFunction>(fn: F, items: ReadonlyArray<ItemOf<F>>, options: MapOptions = {}): Promise<Array<ResultOf<F>>> {
    if (!Array.isArray(items)) throw new ScatterGatherError('ERR_MAP_ITEMS', 'map(fn, items) takes an array of items, one task each: fn(item)');
    const h = this.addJob(items.map((item) => [[item]]) as SetFor<F>, { ...options, fn });
    const results = await this.waitForResult(h);
    const errors = results.filter((r): r is RemoteError => r instanceof RemoteError);
    if (errors.length > 0) throw new MapError(errors, results.map((r) => (r instanceof RemoteError ? undefined : r)), h.fn);
    return results as Array<ResultOf<F>>;
  }

  /** Never blocks: totals, and the results (of every set, or of set `h`) that arrived since they were last polled. */
  poll<T = unknown>(h?: HandleLike<T>): PollReport<T> {
    return this.store.poll(h === undefined ? undefined : this.store.get(h).handle.id) as PollReport<T>;
  }

  /** Where set `h` stands now (default: the oldest unfinished). */
  progress<T = unknown>(h?: HandleLike<T>): SetProgress<T> {
    return this.entryOf(h).progress() as SetProgress<T>;
  }

  /** Calls `listener` whenever results of `h` arrive (once per batch) and at completion; returns the unsubscribe function. */
  onProgress<T = unknown>(h: HandleLike<T>, listener: (progress: SetProgress<T>) => void): () => void {
    const entry = this.store.get(h);
    const heard = listener as (progress: SetProgress) => void;
    entry.listeners.add(heard);
    return () => entry.listeners.delete(heard);
  }

  /**
   * Drops finished set `h` and its results from this client, which otherwise
   * holds every result it received for as long as it lives (a long notebook
   * session can free them this way). Kept values stay on the servers: release them.
   */
  forget(h: HandleLike): void {
    this.store.forget(this.store.get(h).handle.id);
  }

  sets(): SetHandle[] {
    return this.store.handles();
  }

  /** Blocks until set `h` (default: the oldest unfinished) is complete; its results in input order, a RemoteError in place of each failed task. */
  async waitForResult<T = unknown>(h?: HandleLike<T>, options: WaitOptions = {}): Promise<Array<Result<T>>> {
    const entry = this.entryOf(h);
    await this.waitForEntry(entry, () => entry.complete, options, `set ${entry.handle.id} to complete`);
    return [...entry.results] as Array<Result<T>>;
  }

  /** What each task of set `h` printed to stdout and stderr, in input order: so far for a running task, all of it once done ('' for nothing). */
  output(h?: HandleLike): string[] {
    return [...this.entryOf(h).outputs];
  }

  /** Calls `listener` with what a running task of `h` prints, as it arrives (a few times a second at most); returns the unsubscribe function. */
  onOutput(h: HandleLike, listener: (index: number, text: string) => void): () => void {
    const entry = this.store.get(h);
    entry.outputListeners.add(listener);
    return () => entry.outputListeners.delete(listener);
  }

  /**
   * Set `h`'s results in completion order, those already in first; without `h`,
   * every result from now on. With `{ output: true }`, what running tasks print
   * comes in between, as TaskOutput chunks.
   */
  results<T = unknown>(h?: HandleLike<T>): AsyncGenerator<TaskResult<T>>;
  results<T = unknown>(h: HandleLike<T>, options: { output: true }): AsyncGenerator<TaskResult<T> | TaskOutput>;
  async *results<T = unknown>(h?: HandleLike<T>, options: { output?: boolean } = {}): AsyncGenerator<TaskResult<T> | TaskOutput> {
    if (h === undefined) {
      yield* this.store.everyResult() as AsyncGenerator<TaskResult<T>>;
      return;
    }
    const entry = this.store.get(h);
    yield* resultsOf(entry, options.output === true, (condition) => this.waitForEntry(entry, condition, {}, `results of set ${entry.handle.id}`)) as AsyncGenerator<TaskResult<T> | TaskOutput>;
  }

  /** Connects to more worker servers while running (a launcher's, as they start); `ready()` then waits for them too. */
  async addServers(urls: Array<string | ServerSpec>): Promise<void> {
    this.checkOpen();
    const specs = toServerSpecs(urls, this.servers);
    if (specs.length === 0) return;
    // The controller numbers them in this order (results and troubles name servers by number), and its
    // next `ready` counts them: both must hold before any message about them can arrive.
    const count = this.servers.length;
    this.servers.push(...specs);
    const undo = this.readiness.expectMore();
    try {
      await this.request({ t: 'command', req: 0, name: 'add-servers', servers: specs });
    } catch (error) {
      this.servers.splice(count);
      undo();
      throw error;
    }
  }

  /** The value `ref` stands for; for a kept set, each task's value in input order (a RemoteError in place of a failed one). */
  fetch<T>(ref: Ref<T>): Promise<T>;
  fetch<T>(refs: ReadonlyArray<Ref<T>>): Promise<T[]>;
  fetch<T>(h: KeptSetHandle<T>): Promise<Array<Result<T>>>;
  async fetch(what: KeptLike): Promise<unknown> {
    this.checkOpen();
    return this.kept.fetch(what);
  }

  /** Places `value` on the cluster once and returns a reference to it, to pass in tasks' arguments. */
  async put<T>(value: T): Promise<Ref<T>> {
    this.checkOpen();
    return this.kept.put(value);
  }

  /** Frees the kept values of set `h` (or these references) on every server holding them. */
  async release(what: KeptLike): Promise<void> {
    this.checkOpen();
    this.kept.release(what);
  }

  /** Bytes this client has received from its controller: results, replies, everything. */
  get bytesReceived(): number {
    return this.controller.bytesReceived;
  }

  /**
   * Compiles TypeScript and makes the module's exports resident on every executor, now and after restarts.
   * Installing a `name` again replaces that module. `timeoutMs` bounds its loading on each executor (default 30 s).
   */
  async install(source: string, options: { name?: string; timeoutMs?: number } = {}): Promise<string[]> {
    this.checkOpen();
    const name = options.name ?? `module${++this.modulesInstalled}`;
    const code = compileModule(source, name);
    const names = (await this.request({ t: 'install', req: 0, name, code, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) })) as string[];
    this.installed.set(name, names);
    return names;
  }

  /** Built-in and installed function names, for completion and checks. */
  functions(): string[] {
    return [...BUILTIN_FUNCTIONS, ...[...this.installed.values()].flat()];
  }

  /** The modules `install` made resident on the executors, with their exports, oldest first. */
  modules(): InstalledModule[] {
    return [...this.installed].map(([name, exports]) => ({ name, exports: [...exports] }));
  }

  /** The URL of a live page of this cluster (with its access token), served on 127.0.0.1 until `close()`. */
  async dashboard(): Promise<string> {
    this.checkOpen();
    return this.dashboardSlot.url();
  }

  /** @internal Calls `tap` with every batch of results as it arrives; returns the function that stops it. */
  tapResults(tap: ResultTap): () => void {
    this.resultTaps.add(tap);
    return () => this.resultTaps.delete(tap);
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
    const entry = this.entryOf(h);
    if (!entry.complete) await this.request({ t: 'command', req: 0, name: 'cancel', set: entry.handle.id });
  }

  async status(): Promise<ClusterStatus> {
    this.checkOpen();
    return (await this.request({ t: 'command', req: 0, name: 'status' })) as ClusterStatus;
  }

  /** Stops the controller and whatever localCluster started; safe to call twice. */
  async close(): Promise<void> {
    if (!this.closed) await this.die().catch(() => undefined);
    await this.dashboardSlot.close();
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

  private request(message: Message<'install' | 'command' | 'fetch' | 'put'>): Promise<unknown> {
    if (this.store.broken !== undefined) return Promise.reject(this.store.broken);
    const { req, reply } = this.requests.open();
    this.controller.send({ ...message, req });
    return reply;
  }

  /** Set `h`, or by default the oldest unfinished one. */
  private entryOf(h: HandleLike | undefined): SetEntry {
    return h === undefined ? this.store.defaultSet() : this.store.get(h);
  }

  private async waitForEntry(entry: SetEntry, condition: () => boolean, options: WaitOptions, what: string): Promise<void> {
    await waitFor(() => condition() || this.store.broken !== undefined, (wake) => entry.wakers.push(wake), { ...options, what });
    if (!condition() && this.store.broken !== undefined) throw this.store.broken;
  }

  private onResults(items: ClientResultItem[]): void {
    const serverUrl = (index: number): string => this.servers[index]?.url ?? '';
    const touched = this.store.recordResults(items, serverUrl);
    for (const tap of this.resultTaps) tap(items, serverUrl);
    // A complete set's shared arrays are no longer needed by any run of its tasks.
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
    this.readiness.wake();
  }

  private checkOpen(): void {
    if (this.store.broken !== undefined) throw this.store.broken;
    if (this.closed) throw new ScatterGatherError('ERR_CLOSED', 'this client is closed; start a new one with spawnScatterGather or localCluster');
  }
}
