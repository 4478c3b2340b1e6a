import { defaultKeyPath, type ServerReadyInfo, type ServerSpec } from '@scattergather/protocol';
import type { ClusterStatus, ReadyInfo } from './api-types.js';
import { ScatterGatherError } from './errors.js';
import { notReadyError } from './not-ready-error.js';
import { waitFor } from './wait-for.js';

/**
 * What the client knows of its cluster's readiness: the controller's latest
 * `ready` (once it counts every server this client has), and why servers
 * refused its handshake. `ready()` waits here.
 */
export class ClusterReadiness {
  private info: ReadyInfo | undefined;
  /** Why a server cannot be used (a refused handshake, or its pipe link), by URL. */
  private readonly troubles = new Map<string, { reason: string; aboutKey: boolean }>();
  private wakers: Array<() => void> = [];

  /** `servers`: the client's list, which `add` extends. */
  constructor(private readonly servers: ServerSpec[]) {}

  /** The controller's `ready`; one sent before it took servers added since is out of date: the next one counts them. */
  onReady(servers: ServerReadyInfo[]): void {
    if (servers.length < this.servers.length) return;
    this.info = { servers: servers.length, executors: servers.reduce((n, s) => n + s.executors, 0) };
    this.wake();
  }

  /** Server number `server` cannot be used: it refused our handshake (`aboutKey`), or something else. */
  onTrouble(server: number, reason: string, aboutKey: boolean): void {
    this.troubles.set(this.servers[server]?.url ?? `server ${server}`, { reason, aboutKey });
    this.wake();
  }

  /**
   * Numbers `specs` after the servers known and makes `ready()` wait for the controller's next `ready` (one
   * that counts them) while `announce` tells the controller; undone if it fails. Both must hold before any
   * message about them can arrive: the controller numbers them in this order (results and troubles name
   * servers by number).
   */
  async add(specs: ServerSpec[], announce: () => Promise<unknown>): Promise<void> {
    const count = this.servers.length;
    const before = this.info;
    this.servers.push(...specs);
    this.info = undefined;
    try {
      await announce();
    } catch (error) {
      this.servers.splice(count);
      this.info = before;
      throw error;
    }
  }

  /** Wakes every wait, to look again (news came, or the client broke). */
  wake(): void {
    for (const wake of this.wakers.splice(0)) wake();
  }

  /** Resolves once every server answered; rejects with why not (`broken()`, refusals, or which servers stayed silent). */
  async wait(timeoutMs: number, broken: () => Error | undefined, status: () => Promise<ClusterStatus>): Promise<ReadyInfo> {
    try {
      await waitFor(() => this.info !== undefined || broken() !== undefined || this.troubles.size > 0, (wake) => this.wakers.push(wake), { timeoutMs, what: 'the cluster to be ready' });
    } catch (error) {
      throw broken() ?? await notReadyError(timeoutMs, error as Error, this.servers, status);
    }
    const error = broken();
    if (error !== undefined) throw error;
    if (this.info === undefined) {
      const troubles = [...this.troubles];
      const why = troubles.map(([url, { reason }]) => `${url}: ${reason}`).join('\n');
      if (troubles.some(([, { aboutKey }]) => aboutKey)) {
        throw new ScatterGatherError('ERR_KEY_REFUSED', `a worker server refused this client's handshake (another key), so no task was sent to it. The servers and this client must hold the same key: your own default key (${defaultKeyPath()}, copied to every machine), or one file given to every sg-worker as --key-file and to the client as keyFile; a server started with --no-key takes only a client with { noKey: true }:\n${why}`);
      }
      throw new ScatterGatherError('ERR_SERVER_UNUSABLE', `a worker server cannot be used as given, so no task was sent to it:\n${why}`);
    }
    return this.info;
  }
}
