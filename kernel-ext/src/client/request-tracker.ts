import { errorFromState, type Message } from '@scattergather/protocol';

/** Requests to the controller waiting for their `reply`, by request id. */
export class RequestTracker {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextReq = 1;

  open(): { req: number; reply: Promise<unknown> } {
    const req = this.nextReq++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(req, { resolve, reject }));
    return { req, reply };
  }

  settle({ req, ok, value, error }: Message<'reply'>): void {
    const entry = this.pending.get(req);
    if (entry === undefined) return;
    this.pending.delete(req);
    if (ok) entry.resolve(value);
    else entry.reject(errorFromState(error ?? { name: 'Error', message: 'the controller refused the request' }));
  }

  failAll(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}
