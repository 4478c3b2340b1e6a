import {
  encodeValue, errorStateOf, Ref, renameTopLevelRefs,
  type Message, type RefSource, type ResultItem, type TaskItem,
} from '@scattergather/protocol';
import type { Logger } from '../logger.js';
import { keyOf, type KeptStore } from './kept-store.js';
import type { PeerFetcher } from './peer-fetcher.js';

/** What a run becomes once its inputs are in: the tasks to queue (arguments filled in) and those whose inputs could not be found. */
export interface PreparedRun {
  tasks: TaskItem[];
  lost: number[];
}

/**
 * The worker server's side of kept values: results of `keep` tasks are kept
 * here and answered with a Ref; a task whose arguments hold references waits
 * while the values it lacks are fetched from the servers holding them (each
 * once per server: a fetched value is kept too), then gets the values in place
 * of the references.
 */
export class KeptRuns {
  /** `owner/wireId` → the reference its result is kept as. */
  private readonly keeping = new Map<string, string>();
  /** Fetches under way, by `owner/ref`: a value wanted by many tasks is fetched once. */
  private readonly fetching = new Map<string, Promise<boolean>>();
  /** Wire ids of each owner's tasks waiting for their inputs: held, for reconciliation. */
  private readonly waiting = new Map<string, Set<number>>();

  constructor(
    private readonly store: KeptStore,
    private readonly peers: PeerFetcher,
    private readonly log: Logger,
  ) {}

  /** Notes which of `run`'s results to keep; the tasks whose arguments hold references, to prepare. */
  accept(owner: string, run: Message<'run'>): { ready: TaskItem[]; inputs: Map<number, string[]> } {
    for (const [id, ref] of run.keep ?? []) this.keeping.set(`${owner}/${id}`, ref);
    const inputs = new Map<number, string[]>();
    for (const [id, refs] of run.inputs ?? []) if (Array.isArray(refs)) inputs.set(id, refs);
    if (inputs.size === 0) return { ready: run.tasks, inputs };
    const ready = run.tasks.filter((task) => !inputs.has(task[0]));
    return { ready, inputs };
  }

  /** Fetches the inputs `owner`'s tasks lack, and fills them into the tasks' arguments. */
  async prepare(owner: string, tasks: TaskItem[], inputs: Map<number, string[]>, sources: readonly RefSource[] | undefined): Promise<PreparedRun> {
    const waiting = this.waitingOf(owner);
    for (const [id] of tasks) waiting.add(id);
    try {
      return await this.fillIn(owner, tasks, inputs, sourcesByRef(sources), waiting);
    } catch (error) {
      for (const [id] of tasks) waiting.delete(id);
      throw error;
    }
  }

  private async fillIn(owner: string, tasks: TaskItem[], inputs: Map<number, string[]>, where: Map<string, string[]>, waiting: Set<number>): Promise<PreparedRun> {
    const needed = new Set<string>();
    for (const [id] of tasks) for (const ref of inputs.get(id) ?? []) needed.add(ref);
    const found = new Map<string, boolean>();
    await Promise.all([...needed].map(async (ref) => found.set(ref, await this.obtain(owner, ref, where.get(ref) ?? []))));
    const prepared: PreparedRun = { tasks: [], lost: [] };
    for (const task of tasks) {
      // No longer waiting: handed back meanwhile, its controller forgotten (see forgetOwner).
      if (!waiting.delete(task[0])) continue;
      const refs = inputs.get(task[0]) ?? [];
      const local = refs.every((ref) => found.get(ref) === true) ? this.localize(owner, task) : undefined;
      if (local === undefined) prepared.lost.push(task[0]);
      else prepared.tasks.push(local);
    }
    return prepared;
  }

  /** The wire ids of `owner`'s tasks waiting for inputs. */
  waitingFor(owner: string): number[] {
    return [...(this.waiting.get(owner) ?? [])];
  }

  /** Keeps the results of kept tasks, answering each with its Ref (or, when the store refuses it, with the error). */
  keepResults(owner: string, results: ResultItem[]): ResultItem[] {
    if (this.keeping.size === 0) return results;
    return results.map((item) => {
      const key = `${owner}/${item[0]}`;
      const ref = this.keeping.get(key);
      if (ref === undefined) return item;
      this.keeping.delete(key);
      if (!item[1]) return item;
      try {
        const size = this.store.put(owner, ref, item[2]);
        return [item[0], true, encodeValue(new Ref(ref, size)), item[3], item[4], item[5]] as ResultItem;
      } catch (error) {
        return [item[0], false, encodeValue(errorStateOf(error as Error)), item[3], item[4], item[5]] as ResultItem;
      }
    });
  }

  /** Tasks that ended without a result: their results will not be kept here. */
  forgetTasks(owner: string, ids: readonly number[]): void {
    for (const id of ids) this.keeping.delete(`${owner}/${id}`);
  }

  /**
   * A controller forgotten: the results of its tasks still running are not kept (nobody would release them), and
   * its tasks waiting for inputs wait no more; returns their wire ids, to hand back.
   */
  forgetOwner(owner: string): number[] {
    const prefix = `${owner}/`;
    for (const key of [...this.keeping.keys()]) if (key.startsWith(prefix)) this.keeping.delete(key);
    const waiting = this.waiting.get(owner);
    const ids = [...(waiting ?? [])];
    waiting?.clear();
    return ids;
  }

  /** True once `ref` is in the store, fetched from the first of `urls` that has it. */
  private obtain(owner: string, ref: string, urls: readonly string[]): Promise<boolean> {
    if (this.store.has(owner, ref)) return Promise.resolve(true);
    const key = `${owner}/${ref}`;
    let fetch = this.fetching.get(key);
    if (fetch === undefined) {
      fetch = this.fetchFrom(owner, ref, urls).finally(() => this.fetching.delete(key));
      this.fetching.set(key, fetch);
    }
    return fetch;
  }

  private async fetchFrom(owner: string, ref: string, urls: readonly string[]): Promise<boolean> {
    for (const url of urls) {
      let value;
      try {
        [value] = await this.peers.fetch(url, owner, [ref]);
      } catch (error) {
        this.log.warn({ ref, from: url, err: error }, 'cannot fetch an input from this worker server');
        continue;
      }
      if (value === null || value === undefined) continue;
      try {
        const bytes = this.store.put(owner, ref, value);
        this.log.info({ ref, from: url, bytes }, 'fetched an input from another worker server');
        return true;
      } catch (error) {
        this.log.warn({ ref, from: url, err: error }, 'fetched an input but cannot keep it');
        return false;
      }
    }
    return false;
  }

  /**
   * The task with each top-level reference renamed to its key in this server's
   * store: the executor asks for the value under that key (once, then keeps it).
   * Arguments that cannot be read (never from our client) make it undefined.
   */
  private localize(owner: string, task: TaskItem): TaskItem | undefined {
    try {
      return [task[0], task[1], renameTopLevelRefs(task[2], (id) => new Ref(keyOf(owner, id), this.store.sizeOf(owner, id))), task[3]];
    } catch (error) {
      this.log.warn({ task: task[0], err: error }, 'a task\'s arguments cannot be read; it goes back to its controller');
      return undefined;
    }
  }

  private waitingOf(owner: string): Set<number> {
    let ids = this.waiting.get(owner);
    if (ids === undefined) this.waiting.set(owner, (ids = new Set()));
    return ids;
  }
}

/** Where each input can be fetched, from a run's `sources`; entries of the wrong shape (never from our controller) are skipped. */
function sourcesByRef(sources: readonly RefSource[] | undefined): Map<string, string[]> {
  const where = new Map<string, string[]>();
  if (!Array.isArray(sources)) return where;
  for (const source of sources as unknown[]) {
    if (!Array.isArray(source)) continue;
    const [ref, urls] = source as unknown[];
    if (typeof ref === 'string' && Array.isArray(urls)) where.set(ref, urls.filter((url): url is string => typeof url === 'string'));
  }
  return where;
}
