import { decodeValue, Ref, replaceTopLevelRefs, topLevelRefs, type Message, type Payload } from '@scattergather/protocol';

/** Bytes of values an executor keeps decoded between tasks. */
const CACHE_BYTES = 512 * 1024 * 1024;

interface Cached { value: unknown; size: number }

/**
 * The values behind the references in a task's arguments, on an executor: asked
 * of its worker server once, then kept decoded (least recently used first out)
 * so that many tasks reading one big value get it without a copy each. Such a
 * value is shared by the tasks of this executor: they should not change it.
 */
export class RefValues {
  private readonly cache = new Map<string, Cached>();
  private cached = 0;
  private readonly waiting = new Map<number, (values: Array<Payload | null>) => void>();
  private nextReq = 1;

  constructor(private readonly send: (message: Message<'fetch'>) => void) {}

  /** The task `[args, kwargs?]` with its references replaced: at once when every value is here, else once the server sent them. */
  fillIn(task: unknown): unknown {
    const refs = topLevelRefs(task);
    if (refs.length === 0) return task;
    const missing = refs.filter((r) => !this.cache.has(r.id));
    if (missing.length === 0) return this.replace(task);
    return this.fetch(missing).then(() => this.replace(task));
  }

  /** Kept values released on the server: their decoded copies go (keys that are not strings, or not here, are skipped). */
  drop(keys: unknown[]): void {
    for (const key of keys) {
      const entry = typeof key === 'string' ? this.cache.get(key) : undefined;
      if (entry === undefined) continue;
      this.cache.delete(key as string);
      this.cached -= entry.size;
    }
  }

  /** The server's answer to a fetch. */
  settle({ req, values }: Message<'fetched'>): void {
    const resolve = this.waiting.get(req);
    this.waiting.delete(req);
    resolve?.(Array.isArray(values) ? values : []);
  }

  private replace(task: unknown): unknown {
    return replaceTopLevelRefs(task, (id) => {
      const entry = this.cache.get(id);
      if (entry === undefined) throw new ReferenceError(`reference ${id} is not on this worker server; the controller runs the task again where it is`);
      // Most recently used goes last.
      this.cache.delete(id);
      this.cache.set(id, entry);
      return entry.value;
    });
  }

  private async fetch(refs: Ref[]): Promise<void> {
    const req = this.nextReq++;
    const values = await new Promise<Array<Payload | null>>((resolve) => {
      this.waiting.set(req, resolve);
      this.send({ t: 'fetch', req, refs: refs.map((r) => r.id) });
    });
    refs.forEach((ref, i) => {
      const payload = values[i];
      if (payload !== null && payload !== undefined) this.keep(ref.id, decodeValue(payload), ref.size);
    });
  }

  private keep(id: string, value: unknown, size: number): void {
    this.cache.set(id, { value, size });
    this.cached += size;
    for (const [old, entry] of this.cache) {
      if (this.cached <= CACHE_BYTES || old === id) break;
      this.cache.delete(old);
      this.cached -= entry.size;
    }
  }
}
