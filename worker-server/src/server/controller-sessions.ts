interface Session { id: Buffer; epoch: number; lastHeard: number; heartbeatMs: number | undefined }

/**
 * The controllers this server hears from, by routing id, and when each last
 * spoke. A controller that promised a heartbeat and missed several is silent:
 * the pool then hands back its queued tasks and drops its modules. If it speaks
 * again, it starts a new session, with a new epoch (which its pongs carry, so
 * that it knows this server forgot what it had, and installs its modules again).
 */
export class ControllerSessions {
  private readonly sessions = new Map<string, Session>();
  private nextEpoch = 1;

  /** The one Buffer that stands for this controller (tasks and results group by its identity), noting that it spoke. */
  heard(from: Buffer, heartbeatMs?: number): Buffer {
    const key = from.toString('latin1');
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = { id: Buffer.from(from), epoch: this.nextEpoch++, lastHeard: 0, heartbeatMs: undefined };
      this.sessions.set(key, session);
    }
    session.lastHeard = Date.now();
    if (heartbeatMs !== undefined && Number.isFinite(heartbeatMs) && heartbeatMs > 0) session.heartbeatMs = heartbeatMs;
    return session.id;
  }

  /** Which session of this controller this is (a new one after it was forgotten). */
  epochOf(from: Buffer): number {
    this.heard(from);
    return (this.sessions.get(from.toString('latin1')) as Session).epoch;
  }

  /** Controllers silent for `missed` of their heartbeat periods; they are forgotten. */
  takeSilent(missed: number): Buffer[] {
    const now = Date.now();
    const silent: Buffer[] = [];
    for (const [key, session] of this.sessions) {
      if (session.heartbeatMs !== undefined && now - session.lastHeard > missed * session.heartbeatMs) {
        silent.push(session.id);
        this.sessions.delete(key);
      }
    }
    return silent;
  }

  /** The Buffer that stands for each controller heard from and not forgotten. */
  owners(): Buffer[] {
    return [...this.sessions.values()].map((session) => session.id);
  }

  forget(owner: Buffer): void {
    this.sessions.delete(owner.toString('latin1'));
  }
}

/** The name under which a controller's modules live on the executors. */
export function scopeOf(owner: Buffer): string {
  return owner.toString('hex');
}
