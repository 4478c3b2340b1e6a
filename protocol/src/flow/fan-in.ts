/**
 * One request sent to several peers, answered when every one of them has
 * answered (or is gone). Peers that die are `forget`-ed, and `timeoutMs` bounds
 * the wait for one that lives but never answers, so nobody waits forever.
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

  open(peers: Iterable<string>, timeoutMs?: number): { req: number; done: Promise<T[]> } {
    const req = this.nextReq++;
    const done = new Promise<T[]>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.expire(req, timeoutMs), timeoutMs);
      timer?.unref();
      const settle = <A>(f: (a: A) => void) => (a: A): void => { clearTimeout(timer); f(a); };
      this.pending.set(req, { waiting: new Set(peers), answers: [], error: undefined, resolve: settle(resolve), reject: settle(reject) });
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

  private expire(req: number, timeoutMs: number): void {
    const entry = this.pending.get(req);
    if (entry === undefined) return;
    this.pending.delete(req);
    entry.reject(new Error(`no answer within ${timeoutMs} ms from ${[...entry.waiting].join(', ')}`));
  }

  private check(req: number): void {
    const entry = this.pending.get(req);
    if (entry === undefined || entry.waiting.size > 0) return;
    this.pending.delete(req);
    if (entry.error !== undefined) entry.reject(entry.error);
    else entry.resolve(entry.answers);
  }
}
