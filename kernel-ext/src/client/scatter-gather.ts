import { type ClientResultItem, type Message, type Ref, type ServerSpec } from '@scattergather/protocol';
import type {
  AddJobOptions, ClientOptions, ClusterStatus, ControllerCommand, HandleLike, InstalledModule, ItemOf, MapOptions, ReadyInfo, RefreshInfo,
  CheckedSet, HandleFor, KeptSetHandle, RemoteFunction, Result, ResultOf, SetFor,
} from './api-types.js';
import { ClusterReadiness } from './cluster-readiness.js';
import { ControllerProcess } from './controller-process.js';
import { closedError, controllerExitedError, MapError, ScatterGatherError } from './errors.js';
import { toFnRef } from './fn-ref.js';
import { InstalledModules } from './installed-modules.js';
import { RemoteError } from './remote-error.js';
import { RequestTracker } from './request-tracker.js';
import { ResultReader } from './result-reader.js';
import { checkSetOptions } from './check-options.js';
import { SharedArrayDir } from './shared-array-dir.js';
import { encodeSet } from './encode-task.js';
import { DashboardSlot } from '../dashboard/dashboard-slot.js';
import type { ResultTap } from '../dashboard/dashboard-source.js';
import { KeptValues, type KeptLike } from './kept-values.js';
import { toServerSpecs } from './server-list.js';

const DEFAULT_READY_TIMEOUT_MS = 20_000;

/**
 * The client: queues scatter sets to its controller and collects their results.
 * One object backs the API and the notebook magics (the global `sg`).
 */
export class ScatterGather extends ResultReader {
  private readonly controller = new ControllerProcess();
  private readonly requests = new RequestTracker();
  private readonly installed = new InstalledModules();
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
  private closing: Promise<void> | undefined;
  /** Where big typed arrays of arguments go when every server shares this machine (options.sharedMemory). */
  private readonly shared: SharedArrayDir | undefined;
  /** Run once by close(), after the controller is gone (a local cluster stops its servers here). */
  onClose: (() => Promise<void>) | undefined;

  private constructor(
    private readonly servers: ServerSpec[],
    private readonly options: ClientOptions,
  ) {
    super();
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
      trouble: ({ server, reason, aboutKey }) => client.readiness.onTrouble(server, reason, aboutKey !== false),
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
    checkSetOptions(options);
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

  /** Connects to more worker servers while running (a launcher's, as they start); `ready()` then waits for them too. */
  async addServers(urls: Array<string | ServerSpec>): Promise<void> {
    this.checkOpen();
    const specs = toServerSpecs(urls, this.servers);
    if (specs.length > 0) await this.readiness.add(specs, () => this.request({ t: 'command', req: 0, name: 'add-servers', servers: specs }));
  }

  /** @internal A server this client started (number `server`) exited: its controller loses it at once. */
  serverExited(server: number, how: string): void {
    if (!this.closed && this.store.broken === undefined) this.request({ t: 'command', req: 0, name: 'server-exited', server, why: how }).catch(() => undefined);
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
    return this.installed.install(source, options, (message) => this.request(message));
  }

  /** Built-in and installed function names, for completion and checks. */
  functions(): string[] {
    return this.installed.functions();
  }

  /** The modules `install` made resident on the executors, with their exports, oldest first. */
  modules(): InstalledModule[] {
    return this.installed.list();
  }

  /** The URL of a live page of this cluster (with its access token), served on 127.0.0.1 until `close()` (or 'die'). */
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

  /** Stops the controller and whatever localCluster started; a second call waits for the first. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
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
    // It answers just before it exits: its exit is what counts, and one that does not exit in 5 s (hung, or stopped) is killed.
    this.request({ t: 'command', req: 0, name: 'die' }).catch(() => undefined);
    this.closed = true;
    await Promise.all([this.controller.stop(5000), this.dashboardSlot.close()]);
  }

  private request(message: Message<'install' | 'command' | 'fetch' | 'put'>): Promise<unknown> {
    if (this.store.broken !== undefined) return Promise.reject(this.store.broken);
    const { req, reply } = this.requests.open();
    this.controller.send({ ...message, req });
    return reply;
  }

  private onResults(items: ClientResultItem[]): void {
    const serverUrl = (index: number): string => this.servers[index]?.url ?? '';
    const touched = this.store.recordResults(items, serverUrl);
    for (const tap of this.resultTaps) tap(items, serverUrl);
    // A complete set's shared arrays are no longer needed by any run of its tasks.
    if (this.shared !== undefined) for (const entry of touched) if (entry.complete) this.shared.release(entry.handle.id);
  }

  private onControllerExit(code: number | null, signal: NodeJS.Signals | null): void {
    const error = this.closed ? closedError() : controllerExitedError(this.controller.pid, signal ?? `code ${String(code)}`, this.controller.stderr);
    this.closed = true;
    this.store.break(error);
    this.requests.failAll(error);
    this.readiness.wake();
  }

  private checkOpen(): void {
    if (this.store.broken !== undefined) throw this.store.broken;
    if (this.closed) throw closedError();
  }
}
