import type { Payload } from '@scattergather/protocol';
import type { TaskBook } from '../dispatch/task-book.js';
import { ControllerError } from '../errors.js';
import type { ServerFleet } from '../servers/server-fleet.js';

/** How long a server may take to hand over or take in a kept value. */
const TRANSFER_TIMEOUT_MS = 120_000;

/**
 * The client's kept values as the controller serves them: fetched from a
 * server holding each, placed with `put` on the live server holding fewest
 * bytes, released everywhere they are held.
 */
export class KeptValues {
  constructor(
    private readonly book: TaskBook,
    private readonly fleet: ServerFleet,
  ) {}

  /** The values of `ids`, in order, once each exists; rejects naming one that failed or is unknown. */
  async fetch(ids: readonly string[]): Promise<Payload[]> {
    await Promise.all(ids.map((id) => new Promise<void>((resolve) => this.book.refs.whenSettled(id, resolve))));
    return Promise.all(ids.map((id) => this.fetchOne(id)));
  }

  /**
   * Places `value` as reference `id` on the live server holding fewest bytes; resolves with its size. A server
   * lost before it answered (no answer then, not an error) holds nothing: the next one is asked.
   */
  async put(id: string, value: Payload): Promise<number> {
    const tried = new Set<number>();
    for (;;) {
      const live = this.fleet.links.filter((link) => link.health.accepting && !tried.has(link.index));
      const link = live.sort((a, b) => this.bytesOn(a.index) - this.bytesOn(b.index))[0];
      if (link === undefined) throw new ControllerError('ERR_NO_SERVERS', 'no worker server is reachable to hold the value; check status() and that sg-worker is running');
      tried.add(link.index);
      const { req, done } = this.fleet.puts.open([link.url], TRANSFER_TIMEOUT_MS);
      link.send({ t: 'put', req, ref: id, value });
      const [size] = await done;
      if (size === undefined) {
        // It may have stored it before it went silent: should it come back, it must not keep a value nobody knows.
        link.send({ t: 'release', refs: [id] });
        continue;
      }
      this.book.refs.expect(id, undefined);
      this.book.refs.ready(id, link.index, size);
      return size;
    }
  }

  /** Forgets `ids` here and on every server holding them (a value still being made is released once made). */
  release(ids: readonly string[]): void {
    for (const id of ids) {
      this.book.refs.whenSettled(id, () => {
        for (const server of this.book.refs.release(id)) this.fleet.links[server]?.send({ t: 'release', refs: [id] });
      });
    }
  }

  private async fetchOne(id: string): Promise<Payload> {
    const ref = this.book.refs.get(id);
    if (ref === undefined) throw new ControllerError('ERR_REF_UNKNOWN', `reference ${id} is not known: it was released, or belongs to another client`);
    if (ref.state === 'failed') throw new ControllerError('ERR_REF_FAILED', ref.error ?? `reference ${id} failed`);
    for (const server of ref.holders) {
      const link = this.fleet.links[server];
      if (link === undefined || !link.health.alive) continue;
      const { req, done } = this.fleet.fetches.open([link.url], TRANSFER_TIMEOUT_MS);
      link.send({ t: 'fetch', req, refs: [id] });
      const [values] = await done.catch(() => [undefined]);
      const value = values?.[0];
      if (value !== undefined && value !== null) return value;
    }
    throw new ControllerError('ERR_REF_LOST', `reference ${id} is held by no live worker server; if it was a kept result it is being made again: fetch it again shortly`);
  }

  private bytesOn(server: number): number {
    let bytes = 0;
    for (const ref of this.book.refs.values()) if (ref.holders.has(server)) bytes += Math.max(0, ref.size);
    return bytes;
  }
}
