import { errorFromState, FanIn, type ChannelMessage, type Message } from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ExecutorHandle } from './executor-handle.js';

/** How long a module may take to load on an executor unless the install says otherwise. */
export const DEFAULT_INSTALL_TIMEOUT_MS = 30_000;

/** The code of an install that no executor answered: each one it was sent to ended first. */
const NO_EXECUTOR_LOADED = 'ERR_INSTALL_NO_EXECUTOR';

type Send = (executor: ExecutorHandle, message: ChannelMessage<'serverToExecutor'>) => void;

/** The executors an install goes to. */
export interface ServingExecutors {
  /** Up and not on their way out. */
  serving(): ExecutorHandle[];
  /** Resolves once `count` serve (at once if they do, or if none ever will); rejects with `timedOut()` after `timeoutMs`. */
  whenServing(count: number, timeoutMs: number, timedOut: () => Error): Promise<void>;
}

/**
 * The modules each controller installed (by scope, then name, in install
 * order), loaded on every executor now and on every new one before its first
 * task. A module that does not load within its time limit fails the install,
 * is forgotten, and the executors stuck loading it are replaced.
 */
export class ModuleInstalls {
  private readonly modules = new Map<string, Map<string, string>>();
  private readonly answers = new FanIn<string[]>();
  private readonly waiting = new Map<number, Set<ExecutorHandle>>();

  constructor(
    private readonly send: Send,
    private readonly executors: ServingExecutors,
    private readonly log: Logger,
    private readonly defaultTimeoutMs = DEFAULT_INSTALL_TIMEOUT_MS,
  ) {}

  /**
   * Loads `code` as module `name` of `scope` on every serving executor; resolves with its export names, which
   * only an executor that loaded it can give: with none serving, the next one up; if every one asked ended
   * meanwhile (killed, not yet known dead), those that replace them, once.
   */
  install(scope: string, name: string, code: string, timeoutMs = this.defaultTimeoutMs): Promise<string[]> {
    // An install waits no longer for an executor to be up than for it to load the module.
    const timedOut = (): Error => new WorkerServerError('ERR_INSTALL_TIMEOUT', `no executor was up to load the module within ${timeoutMs} ms; the log says why executors do not start`);
    const attempt = (): Promise<string[]> => this.executors.whenServing(1, timeoutMs, timedOut).then(() => this.installOn(this.executors.serving(), scope, name, code, timeoutMs));
    return attempt().catch((error: { code?: string }) => (error.code === NO_EXECUTOR_LOADED ? attempt() : Promise.reject(error)));
  }

  private installOn(targets: ExecutorHandle[], scope: string, name: string, code: string, timeoutMs: number): Promise<string[]> {
    const modules = this.modules.get(scope) ?? new Map<string, string>();
    this.modules.set(scope, modules);
    const previous = modules.get(name);
    modules.delete(name);
    modules.set(name, code);
    const { req, done } = this.answers.open(targets.map((e) => e.routingId));
    this.waiting.set(req, new Set(targets));
    const timer = setTimeout(() => this.expire(req, name, timeoutMs), timeoutMs).unref();
    for (const executor of targets) this.send(executor, { t: 'install', req, name, code, scope });
    return done.then((answers) => {
      const [names] = answers;
      if (names === undefined) throw new WorkerServerError(NO_EXECUTOR_LOADED, `no executor finished loading module ${name}: each one ended while loading it (does the module exit or crash its process when it loads?), or this server is stopping; install it again`);
      return names;
    }).catch((error: Error) => {
      // New executors must not load what failed here, but the version before it, which the others still run.
      if (modules.get(name) === code) {
        if (previous === undefined) modules.delete(name);
        else modules.set(name, previous);
      }
      throw error;
    }).finally(() => {
      clearTimeout(timer);
      this.waiting.delete(req);
    });
  }

  /** Every module, for a new executor, before its first task. */
  loadAll(executor: ExecutorHandle): void {
    for (const [scope, modules] of this.modules) {
      for (const [name, code] of modules) this.send(executor, { t: 'install', req: 0, name, code, scope });
    }
  }

  /** Forgets a controller's modules, here and on `executors`. */
  drop(scope: string, executors: Iterable<ExecutorHandle>): void {
    if (!this.modules.delete(scope)) return;
    for (const executor of executors) this.send(executor, { t: 'uninstall', scope });
  }

  settle({ req, names, error }: Message<'installed'>, executor: ExecutorHandle): void {
    if (error !== undefined && req === 0) this.log.error({ error, executor: executor.pid }, 'an installed module failed to load on a new executor');
    this.waiting.get(req)?.delete(executor);
    this.answers.settle(req, executor.routingId, error === undefined ? { value: names ?? [] } : { error: errorFromState(error) });
  }

  /** An executor that is gone answers nothing more. */
  forget(executor: ExecutorHandle): void {
    for (const executors of this.waiting.values()) executors.delete(executor);
    this.answers.forget(executor.routingId);
  }

  private expire(req: number, name: string, timeoutMs: number): void {
    const stuck = this.waiting.get(req);
    if (stuck === undefined) return;
    const error = new WorkerServerError('ERR_INSTALL_TIMEOUT', `module '${name}' did not finish loading within ${timeoutMs} ms on ${stuck.size} executor(s), so it is not installed and those executors are being replaced. Does its top level loop or wait forever? Fix it, or give a slow one more time: install(source, { timeoutMs }) or sg-worker --install-timeout-ms`);
    for (const executor of [...stuck]) {
      this.answers.settle(req, executor.routingId, { error });
      executor.sendAway('replace');
    }
  }
}
