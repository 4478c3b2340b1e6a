import type { ExecutorInfo } from '@scattergather/protocol';

/** What a pong changed: a server seen for the first time, restarted or that forgot us (`fresh`), or one lost that answers again (`revived`). */
export interface PongNews {
  /** A server (or session) this controller has not worked with yet: it knows none of our modules. */
  fresh: boolean;
  /** The same process as before, after it was taken for lost. */
  revived: boolean;
}

/** Which server process and session with us answered (`instance`), and which process alone (`processId`, newer servers). */
export interface Session { instance: string; processId?: string }

/** How a server's pong says it lost what it held for us. */
export type ServerChange = 'restarted' | 'forgot-us';

/**
 * The one owner of what the controller believes about a worker server's life:
 * alive or lost, when it last spoke, which process it is, its executors, and
 * whether it is on its way out. Only its own methods change it.
 */
export class ServerHealth {
  private aliveNow = false;
  private answeredOnce = false;
  private drainingNow = false;
  private pausedNow = false;
  /** Its client saw its process end: no new tasks from us until a new process answers at its URL. */
  private exitedNow = false;
  private instanceNow: string | undefined;
  private processNow: string | undefined;
  private executorsNow: ExecutorInfo[] = [];
  private lastHeardAt = 0;

  get alive(): boolean { return this.aliveNow; }
  /** It answered at least once (the client's `ready` waits for every server to). */
  get answered(): boolean { return this.answeredOnce; }
  get executors(): readonly ExecutorInfo[] { return this.executorsNow; }
  /** It said it stops soon (its walltime is near): it gets no new tasks, and losing it is no task's fault. */
  get draining(): boolean { return this.drainingNow; }
  /** May be given tasks: alive, not draining, not waiting to answer after handing tasks back, and not reported gone. */
  get accepting(): boolean { return this.aliveNow && !this.drainingNow && !this.pausedNow && !this.exitedNow; }

  /** Any message from the server counts as a sign of life. */
  heard(now = Date.now()): void {
    this.lastHeardAt = now;
  }

  /** Alive but silent for longer than `limitMs`. */
  silent(now: number, limitMs: number): boolean {
    return this.aliveNow && now - this.lastHeardAt > limitMs;
  }

  /**
   * Whether whatever the server held for us before this pong is gone: `restarted`, a new process in place
   * of the one we knew (or a server that cannot say); `forgot-us`, the same process, which took us for gone
   * while we were silent (no task's fault). Undefined for the server we knew, or the first pong.
   */
  changeOf(pong: Session): ServerChange | undefined {
    if (this.instanceNow === undefined || this.instanceNow === pong.instance) return undefined;
    return pong.processId !== undefined && pong.processId === this.processNow ? 'forgot-us' : 'restarted';
  }

  onPong(pong: Session & { executors: ExecutorInfo[]; draining?: boolean }, now = Date.now()): PongNews {
    const fresh = this.instanceNow !== pong.instance;
    const news: PongNews = { fresh, revived: !fresh && !this.aliveNow };
    // A late pong of the process its client saw end does not bring it back; a new process at its URL does.
    if (fresh) this.exitedNow = false;
    this.instanceNow = pong.instance;
    this.processNow = pong.processId;
    this.executorsNow = pong.executors;
    this.drainingNow = pong.draining === true;
    this.pausedNow = false;
    this.aliveNow = true;
    this.answeredOnce = true;
    this.heard(now);
    return news;
  }

  onRefreshed(executors: ExecutorInfo[]): void {
    this.executorsNow = executors;
  }

  /** It said it stops taking tasks, before its next pong (which will say so too). */
  markDraining(): void {
    this.drainingNow = true;
  }

  /** The client that started it saw its process (or ssh session) end: no new tasks from us, whatever it still says. */
  markExited(): void {
    this.exitedNow = true;
  }

  /**
   * No new tasks until it answers a ping again (a stopping one never does): it handed tasks back (it is
   * stopping, draining, or it took us for gone).
   */
  holdUntilPong(): void {
    this.pausedNow = true;
  }

  /** Taken for lost (silent, or restarted); a pong from it later revives it. */
  markLost(): void {
    this.aliveNow = false;
  }
}
