import { Dealer } from 'zeromq';
import {
  curveClientOptions, encodeMessage, receiveLimit, runMessageLoop, SocketWriter, type ClusterKey, type Payload,
} from '@scattergather/protocol';
import type { Logger } from '../logger.js';

interface Peer {
  socket: Dealer;
  writer: SocketWriter;
  waiting: Map<number, (values: Array<Payload | null>) => void>;
}

/**
 * Fetches kept values straight from the worker servers that hold them, over a
 * DEALER per server opened to its advertised URL with the cluster key: a
 * task's inputs move server to server, never through a controller or client.
 */
export class PeerFetcher {
  private readonly peers = new Map<string, Peer>();
  private nextReq = 1;

  constructor(
    private readonly key: ClusterKey | undefined,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  /** `refs` of controller `owner` from the server at `url`, in order; null for each it lacks or when it does not answer in time. */
  fetch(url: string, owner: string, refs: string[]): Promise<Array<Payload | null>> {
    const peer = this.peerAt(url);
    const req = this.nextReq++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        peer.waiting.delete(req);
        this.log.warn({ peer: url, refs: refs.length }, 'a worker server holding inputs did not answer in time');
        resolve(refs.map(() => null));
      }, this.timeoutMs);
      peer.waiting.set(req, (values) => {
        clearTimeout(timer);
        resolve(refs.map((_, i) => values[i] ?? null));
      });
      peer.writer.send(encodeMessage({ t: 'fetch', req, refs, owner }));
    });
  }

  close(): void {
    for (const peer of this.peers.values()) peer.socket.close();
    this.peers.clear();
  }

  private peerAt(url: string): Peer {
    let peer = this.peers.get(url);
    if (peer !== undefined) return peer;
    const socket = new Dealer({ linger: 0, ...receiveLimit(), ...(this.key === undefined ? {} : curveClientOptions(this.key)) });
    try {
      // Throws on an address ZeroMQ cannot use (a controller's bug): the fetch fails, nothing is kept for it.
      socket.connect(url);
    } catch (error) {
      socket.close();
      throw error;
    }
    const waiting = new Map<number, (values: Array<Payload | null>) => void>();
    peer = { socket, writer: new SocketWriter(socket, this.log), waiting };
    this.peers.set(url, peer);
    void runMessageLoop(socket, {
      fetched: ({ req, values }) => {
        const settle = waiting.get(req);
        waiting.delete(req);
        settle?.(Array.isArray(values) ? values : []);
      },
    }, { log: this.log.child({ peer: url }) });
    return peer;
  }
}
