/**
 * The object behind the global `sgKernel`: what each magic does once its line
 * runs. It owns the client (the global `sg`), the progress bars and the waits
 * an interrupt must end.
 */
import type { CheckedSet, HandleFor, HandleLike, KeptSetHandle, RemoteFunction, Result, ResultOf, ScatterSet, SetHandle, SetProgress } from '../client/api-types.js';
import { emitDisplay, emitResult, emitStream, type CellContext } from './cell-context.js';
import { runClusterAction, type ClusterHost } from './cluster-actions.js';
import { BUILTIN_FUNCTIONS, type ClientModule, type SgClient } from './client-types.js';
import { asKernelError, KernelError } from './errors.js';
import { chartBundle, histogramsIn, pool } from './histogram-chart.js';
import { ProgressRegistry } from './progress-display.js';
import { peekBundle, resultsBundle } from './results-view.js';
import { RemoteDeclarations } from './remote-declarations.js';
import { TaggedOutput } from './tagged-output.js';
import type { CallOptions, ClusterSpec, GatherOptions, MagicRuntimeApi, ScatterOptions } from './runtime-api.js';
import { checkScatterSet, describeSet, noClient, noClusterError, resolveSet, unknownFunctionError, waitError } from './runtime-checks.js';
import { remoteModuleName } from './remote-module-name.js';

export interface RuntimeHost {
  /** The cell being run, if any. */
  current(): CellContext | undefined;
  /** Makes `value` the notebook's global `sg`. */
  setClientGlobal(value: unknown): void;
  loadClient(): ClientModule;
}

export class MagicRuntime implements MagicRuntimeApi {
  private client_: SgClient | undefined;
  private readonly failures = new Map<number, KernelError>();
  private nextFailure = 1;
  private readonly waits = new Set<AbortController>();
  readonly progress: ProgressRegistry;
  /** The typed stand-ins of `%%remote` cells' functions, for the handler to declare after the cell. */
  readonly declarations = new RemoteDeclarations();

  constructor(
    private readonly host: RuntimeHost,
    options: { throttleMs: number },
  ) {
    this.progress = new ProgressRegistry({ throttleMs: options.throttleMs, currentWriter: () => host.current()?.writeDisplayData });
    host.setClientGlobal(noClient());
  }

  get connected(): boolean {
    return this.client_ !== undefined;
  }

  /** Names `%scatter` accepts: the cluster's, or the built-ins before there is one. */
  functionNames(): string[] {
    try {
      return this.client_ ? this.client_.functions() : [...BUILTIN_FUNCTIONS];
    } catch {
      return [...BUILTIN_FUNCTIONS];
    }
  }

  setHandles(): SetHandle[] {
    try {
      return this.client_?.sets() ?? [];
    } catch {
      return [];
    }
  }

  async cluster(spec: ClusterSpec, call: CallOptions): Promise<unknown> {
    const { value, view } = await runClusterAction(this.clusterHost(), spec);
    this.show(call, view);
    return value;
  }

  async scatter<F extends RemoteFunction, S extends readonly unknown[], K extends boolean = false>(fn: F, set: S & CheckedSet<S, F>, options: ScatterOptions & { keep?: K }, call: CallOptions): Promise<HandleFor<K, ResultOf<F>>> {
    const client = this.client();
    if (typeof fn === 'string') {
      const names = client.functions();
      if (!names.includes(fn)) throw unknownFunctionError(fn, names);
    }
    checkScatterSet(set);
    let h: HandleFor<K, ResultOf<F>>;
    try {
      h = client.addJob(set as unknown as ScatterSet, { fn, ...definedOnly(options) }) as HandleFor<K, ResultOf<F>>;
    } catch (e) {
      throw asKernelError(e, 'CLUSTER_ERROR', 'could not queue the set');
    }
    const ctx = this.host.current();
    if (ctx) this.progress.for(client, h).show(ctx.writeDisplayData);
    this.show(call, { 'text/plain': `${describeSet(h)} queued — %gather ${h.id} --wait for its results` });
    return h;
  }

  async gather<T>(handle: HandleLike<T> | undefined, options: GatherOptions, call: CallOptions): Promise<Array<Result<T>>> {
    const client = this.client();
    const h = resolveSet(handle, this.setHandles());
    const ctx = this.host.current();
    const bar = this.progress.for(client, h);
    if (ctx && !bar.finished) bar.show(ctx.writeDisplayData);
    const abort = new AbortController();
    this.waits.add(abort);
    if (ctx) ctx.waitingFor = h.id;
    const tagged = new TaggedOutput();
    const stopStreaming = client.onOutput(h, (index, text) => emitStream(ctx, tagged.tag(index, text)));
    let results: unknown[];
    try {
      results = await client.waitForResult(h, { signal: abort.signal, ...definedOnly({ timeoutMs: options.timeoutMs }) });
    } catch (e) {
      // Counted on the client waited on, if it is still the cluster (one replaced meanwhile may number its sets alike).
      throw waitError(e, h, this.client_ === client ? progressOf(client, h) : undefined, abort, options.timeoutMs);
    } finally {
      stopStreaming();
      this.waits.delete(abort);
      if (ctx) ctx.waitingFor = undefined;
    }
    this.show(call, resultsBundle(h.id, h.fn, results, client.output(h), options));
    return results as Array<Result<T>>;
  }

  async peek<T>(handle: HandleLike<T> | undefined, options: GatherOptions, call: CallOptions): Promise<SetProgress<T>> {
    const client = this.client();
    const h = resolveSet(handle, this.setHandles());
    const p = client.progress(h);
    this.show(call, peekBundle(p, client.output(h), options));
    return p as SetProgress<T>;
  }

  async cancel(handle: HandleLike | undefined, call: CallOptions): Promise<SetProgress> {
    const client = this.client();
    const h = resolveSet(handle, this.setHandles());
    try {
      await client.cancel(h);
    } catch (e) {
      throw asKernelError(e, 'CLUSTER_ERROR', `could not cancel set ${h.id}`);
    }
    this.progress.get(h.id)?.finish('cancelled');
    const p = client.progress(h);
    this.show(call, { 'text/plain': `cancelled set ${h.id} ${h.fn}: ${p.done} done, ${p.failed} failed or cancelled, ${p.pending} pending` });
    return p;
  }

  async fetch(handle: HandleLike | undefined, options: GatherOptions, call: CallOptions): Promise<unknown[]> {
    const client = this.client();
    const h = resolveSet(handle, this.setHandles());
    if (!isKept(h)) throw new KernelError('BAD_ARGUMENTS', `set ${h.id} was not kept: its results are already here`, { hint: `%gather ${h.id} --wait shows them; %scatter FN --keep EXPR keeps a set's results on the servers.` });
    const values = await client.fetch(h).catch((e: unknown) => { throw asKernelError(e, 'CLUSTER_ERROR', `could not fetch set ${h.id}'s values`); });
    this.show(call, resultsBundle(h.id, h.fn, values, client.output(h), options));
    return values;
  }

  async remote(source: string, options: { name?: string }, call: CallOptions): Promise<string[]> {
    const client = this.client();
    let names: string[];
    try {
      // A cell without --name keeps one name across runs: running it again replaces its module.
      names = await client.install(source, { name: options.name ?? remoteModuleName(source) });
    } catch (e) {
      throw asKernelError(e, 'INSTALL_ERROR', 'the %%remote cell was not installed', 'Fix the module and run the cell again; nothing was changed on the executors.');
    }
    const { remoteFunction } = this.host.loadClient();
    this.declarations.add(source, names, (name) => remoteFunction(name));
    this.show(call, { 'text/plain': `installed on every executor: ${names.join(', ') || '(no exports)'}` });
    return names;
  }

  async chart(value: unknown, options: { title?: string; bins?: number }, call: CallOptions): Promise<unknown> {
    const bundle = chartBundle(value, definedOnly(options));
    if (call.show) emitResult(this.host.current(), bundle);
    else emitDisplay(this.host.current(), bundle);
    return pool(histogramsIn(value), options.bins);
  }

  fail(id: number): never {
    const e = this.failures.get(id);
    this.failures.delete(id);
    throw e ?? new KernelError('BAD_ARGUMENTS', 'this cell could not be read');
  }

  /** Keeps a rewrite error for `fail(id)`, which the rewritten cell calls. */
  registerFailure(e: KernelError): number {
    const id = this.nextFailure++;
    this.failures.set(id, e);
    return id;
  }

  /** Ends every wait in progress (the sets keep running). */
  interrupt(): void {
    for (const w of this.waits) w.abort();
    this.waits.clear();
  }

  async shutdown(): Promise<void> {
    this.interrupt();
    this.declarations.dispose();
    await this.replace(undefined);
  }

  private client(): SgClient {
    if (!this.client_) throw noClusterError();
    return this.client_;
  }

  private show(call: CallOptions, view: Record<string, string>): void {
    if (call.show) emitResult(this.host.current(), view);
  }

  private async replace(next: SgClient | undefined): Promise<void> {
    const old = this.client_;
    this.client_ = next;
    if (old && old !== next) {
      this.progress.finishAll('lost');
      await old.close().catch(() => undefined);
    }
    this.host.setClientGlobal(next ?? noClient());
  }

  private clusterHost(): ClusterHost {
    return {
      client: () => this.client(),
      connected: () => this.connected,
      replace: (next) => this.replace(next),
      load: () => this.host.loadClient(),
    };
  }
}

/** Where `h` stands on `client`, or undefined if it cannot say (a broken client). */
function progressOf(client: SgClient, h: SetHandle): SetProgress | undefined {
  try {
    return client.progress(h);
  } catch {
    return undefined;
  }
}

function isKept(h: SetHandle): h is KeptSetHandle {
  return (h as Partial<KeptSetHandle>).keep === true;
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
