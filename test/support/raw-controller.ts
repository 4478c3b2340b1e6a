import { Dealer } from 'zeromq';
import { decodeMessage, encodeMessage, encodeValue, type Message, type TaskItem } from '@scattergather/protocol';

/**
 * A controller reduced to its socket, for tests that watch exactly what a
 * worker server sends and in what order.
 */
export class RawController {
  readonly socket = new Dealer({ linger: 0, receiveTimeout: 200 });
  /** Every message received, in order. */
  readonly received: Message[] = [];

  constructor(url: string) {
    this.socket.connect(url);
  }

  send(message: Message): Promise<void> {
    return this.socket.send(encodeMessage(message));
  }

  /** Runs `fn` (a built-in) with each args list, under ids from `firstId`. */
  run(fn: string, argsList: unknown[][], firstId = 1, timeoutMs = 0): Promise<void> {
    const tasks: TaskItem[] = argsList.map((args, i) => [firstId + i, 0, encodeValue([args]), timeoutMs]);
    return this.send({ t: 'run', fns: [{ name: fn }], tasks });
  }

  /** Receives until `done(received)` holds, or fails after `timeoutMs`. */
  async receiveUntil(done: (received: Message[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.received)) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.received.map((m) => m.t).join(', ')}`);
      let frames: Buffer[];
      try {
        frames = await this.socket.receive();
      } catch (error) {
        if ((error as { code?: string }).code === 'EAGAIN') continue;
        throw error;
      }
      const decoded = decodeMessage(frames);
      if (decoded.ok) this.received.push(decoded.message);
    }
  }

  /** Ids of every result received so far. */
  doneIds(): number[] {
    return this.received.flatMap((m) => (m.t === 'done' ? m.results.map((r) => r[0]) : []));
  }

  returnedIds(): number[] {
    return this.received.flatMap((m) => (m.t === 'returned' ? m.ids : []));
  }

  close(): void {
    this.socket.close();
  }
}
