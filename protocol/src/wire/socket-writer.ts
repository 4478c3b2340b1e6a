import type { Writable } from 'zeromq';
import { DropLog, type WireLog } from './wire-log.js';

/**
 * zeromq.js allows one pending send per socket; this is the single writer every
 * socket gets. `send` never blocks and never throws: messages queue in order and
 * a failed send (an unroutable peer, a closed socket) is skipped with a warning,
 * rate-limited like every dropped message, never silently.
 */
export class SocketWriter {
  private queue: Buffer[][] = [];
  private head = 0;
  private flushing = false;
  private readonly drops: DropLog;

  constructor(
    private readonly socket: Writable,
    log: WireLog,
  ) {
    this.drops = new DropLog(log);
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Resolves once every queued message has been handed to ZeroMQ, or after `timeoutMs`: before closing a socket. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  send(frames: Buffer[]): void {
    this.queue.push(frames);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.head < this.queue.length) {
      const frames = this.queue[this.head] as Buffer[];
      this.queue[this.head++] = [];
      try {
        // Without a send timeout, zeromq.js waits here while the peer's queue is full: back-pressure, not loss.
        await this.socket.send(frames);
      } catch (error) {
        // An unroutable peer (gone, on a mandatory ROUTER) or a closed socket.
        this.drops.drop(`a send failed (${(error as { code?: string }).code ?? 'error'})`, { err: error });
      }
    }
    this.queue = [];
    this.head = 0;
    this.flushing = false;
  }
}
