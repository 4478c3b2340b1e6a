import type { TaskRecord } from './task-book.js';

/**
 * Which task is in flight to which server, under which wire id: the one record
 * of it. Each send gets a fresh wire id, so an answer about an earlier attempt
 * (a late result, a late `lost`, an answer from a server the task was not sent
 * to) names an id no longer here and is ignored.
 *
 * It also reconciles: a ping is stamped with the send count when it left, and
 * its pong lists what the server holds; a task sent before that ping, neither
 * held nor answered (pongs never overtake results), was lost on the way.
 */
/** Unanswered pings remembered per server: a server that is down gets a ping each heartbeat and answers none. */
const MAX_MARKS = 64;

export class FlightLedger {
  /** server index → wire id → task */
  private readonly byServer = new Map<number, Map<number, TaskRecord>>();
  /** server index → ping req → send count when that ping left, oldest first */
  private readonly pings = new Map<number, Map<number, number>>();
  private nextWireId = 1;
  private sent = 0;

  /** Records that `task` leaves for `server` now; returns the id it travels under. */
  send(server: number, task: TaskRecord): number {
    const wireId = this.nextWireId++;
    task.server = server;
    task.wireId = wireId;
    task.sentAt = ++this.sent;
    this.flightsOf(server).set(wireId, task);
    return wireId;
  }

  /** The task `server` answers for under `wireId`, no longer in flight; undefined when we did not ask it that. */
  take(server: number, wireId: unknown): TaskRecord | undefined {
    const task = this.find(server, wireId);
    if (task === undefined) return undefined;
    this.byServer.get(server)?.delete(task.wireId);
    task.server = -1;
    return task;
  }

  /** The task in flight to `server` under `wireId`, left in flight (a server's note about a task it runs). */
  find(server: number, wireId: unknown): TaskRecord | undefined {
    return typeof wireId === 'number' ? this.byServer.get(server)?.get(wireId) : undefined;
  }

  /** Ends `task`'s flight, wherever it is (a cancel, a requeue). */
  land(task: TaskRecord): void {
    if (task.server >= 0) this.take(task.server, task.wireId);
  }

  /** Every task in flight to `server`, no longer in flight: the server is gone. */
  takeAll(server: number): TaskRecord[] {
    const flights = this.byServer.get(server);
    this.pings.delete(server);
    if (flights === undefined) return [];
    const tasks = [...flights.values()];
    flights.clear();
    for (const task of tasks) task.server = -1;
    return tasks;
  }

  count(server: number): number {
    return this.byServer.get(server)?.size ?? 0;
  }

  /** Tasks in flight to any server. */
  get total(): number {
    let n = 0;
    for (const flights of this.byServer.values()) n += flights.size;
    return n;
  }

  /** Stamps ping `req` to `server` with what has been sent so far; the oldest mark goes past MAX_MARKS (its pong, if any, then reconciles nothing). */
  markPing(server: number, req: number): void {
    let marks = this.pings.get(server);
    if (marks === undefined) this.pings.set(server, (marks = new Map()));
    marks.set(req, this.sent);
    if (marks.size > MAX_MARKS) for (const [oldest] of marks) { marks.delete(oldest); break; }
  }

  /**
   * The pong to ping `req` lists the wire ids `server` holds: every task sent
   * before that ping and not held is taken out of flight and returned, to be
   * queued again. Pings are answered in order, so marks of older pings go too.
   */
  reconcile(server: number, req: number, held: readonly unknown[]): TaskRecord[] {
    const marks = this.pings.get(server);
    const mark = marks?.get(req);
    if (marks === undefined || mark === undefined) return [];
    for (const [older] of marks) {
      marks.delete(older);
      if (older === req) break;
    }
    const holds = new Set(held);
    const missing: TaskRecord[] = [];
    for (const [wireId, task] of this.flightsOf(server)) if (task.sentAt <= mark && !holds.has(wireId)) missing.push(task);
    for (const task of missing) this.take(server, task.wireId);
    return missing;
  }

  private flightsOf(server: number): Map<number, TaskRecord> {
    let flights = this.byServer.get(server);
    if (flights === undefined) this.byServer.set(server, (flights = new Map()));
    return flights;
  }
}
