import { decodeValue, encodeValue, Ref, type Message, type Payload } from '@scattergather/protocol';
import type { KeptSetHandle } from './api-types.js';
import { asClientError, ScatterGatherError } from './errors.js';

/** What the client's kept-value calls need of the client. */
export interface KeptHost {
  request(message: Message<'fetch'> | Message<'put'>): Promise<unknown>;
  send(message: Message<'release'>): void;
  /** Set `h`'s results in input order, once it is complete. */
  waitForResult(h: KeptSetHandle): Promise<unknown[]>;
}

/** Anything that names kept values: one reference, several, or a kept set. */
export type KeptLike = Ref | readonly Ref[] | KeptSetHandle;

/** The client's side of kept values: fetch them back, place one with put, release them. */
export class KeptValues {
  private puts = 0;

  constructor(private readonly host: KeptHost) {}

  /**
   * The value of `ref`; for a kept set, every task's value in input order (its RemoteError in place of a failed
   * one, and as it came a result a server sent back bare instead of keeping it).
   */
  async fetch(what: KeptLike): Promise<unknown> {
    if (what instanceof Ref) return (await this.fetchIds([what.id]))[0];
    if (Array.isArray(what)) return this.fetchIds((what as readonly Ref[]).map(idOf));
    const results = await this.host.waitForResult(keptSet(what));
    const kept = results.filter((r): r is Ref => r instanceof Ref);
    const values = await this.fetchIds(kept.map((r) => r.id));
    let next = 0;
    return results.map((r) => (r instanceof Ref ? values[next++] : r));
  }

  /** Places `value` on the cluster once; the reference stands for it in any task's arguments. */
  async put<T>(value: T): Promise<Ref<T>> {
    const id = `p${++this.puts}`;
    const size = (await this.host.request({ t: 'put', req: 0, ref: id, value: asClientError(() => encodeValue(value)) })) as number;
    return new Ref<T>(id, size);
  }

  /** Frees kept values on the servers; a reference released is unknown to later tasks and fetches. */
  release(what: KeptLike): void {
    const refs = what instanceof Ref ? [what] : Array.isArray(what) ? (what as readonly Ref[]) : keptSet(what).refs();
    if (refs.length > 0) this.host.send({ t: 'release', refs: refs.map(idOf) });
  }

  private async fetchIds(ids: string[]): Promise<unknown[]> {
    if (ids.length === 0) return [];
    const payloads = (await this.host.request({ t: 'fetch', req: 0, refs: ids })) as Payload[];
    return payloads.map((payload) => asClientError(() => decodeValue(payload)));
  }
}

function idOf(ref: Ref): string {
  if (!(ref instanceof Ref)) throw notARef();
  return ref.id;
}

/** `what` as a kept set's handle (one made with keep: true); anything else is refused. */
function keptSet(what: KeptLike): KeptSetHandle {
  if (what === null || typeof what !== 'object' || typeof (what as Partial<KeptSetHandle>).refs !== 'function') throw notARef();
  return what as KeptSetHandle;
}

function notARef(): ScatterGatherError {
  return new ScatterGatherError('ERR_NOT_A_REF', 'fetch and release take references (a kept set\'s refs(), or what put() returned), or the handle of a set added with keep: true');
}
