/**
 * One request sent to several peers, answered when every one of them has
 * answered (or is gone). Peers that die are `forget`-ed so nobody waits forever.
 */
export class FanIn<T> {
  private readonly pending = new Map<number, {
    waiting: Set<string>;
    answers: T[];
    error: Error | undefined;
    resolve(answers: T[]): void;
    reject(error: Error): void;
  }>();

  private nextReq = 1;

  open(peers: Iterable<string>): { req: number; done: Promise<T[]> } {
    const req = this.nextReq++;
    const done = new Promise<T[]>((resolve, reject) => {
      this.pending.set(req, { waiting: new Set(peers), answers: [], error: undefined, resolve, reject });
    });
    this.check(req);
    return { req, done };
  }

  /** Records one peer's answer; the first error fails the whole request once every peer has answered. */
  settle(req: number, peer: string, outcome: { value: T } | { error: Error }): void {
    const entry = this.pending.get(req);
    if (entry === undefined || !entry.waiting.delete(peer)) return;
    if ('error' in outcome) entry.error ??= outcome.error;
    else entry.answers.push(outcome.value);
    this.check(req);
  }

  forget(peer: string): void {
    for (const [req, entry] of this.pending) if (entry.waiting.delete(peer)) this.check(req);
  }

  private check(req: number): void {
    const entry = this.pending.get(req);
    if (entry === undefined || entry.waiting.size > 0) return;
    this.pending.delete(req);
    if (entry.error !== undefined) entry.reject(entry.error);
    else entry.resolve(entry.answers);
  }
}
