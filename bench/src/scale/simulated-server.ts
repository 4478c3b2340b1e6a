import { Router } from 'zeromq';
import { decodeValue, encodeMessage, encodeValue, OncePerTurn, runMessageLoop, SocketWriter, type Message, type Payload, type ResultItem, type TaskItem, type WireLog } from '@scattergather/protocol';

interface Running { owner: Buffer; id: number; ms: number }

/** Pids far from real ones: these executors exist only here. */
const FIRST_PID = 4_000_000;

/**
 * A worker server as a controller sees it, with no executors behind it: it
 * answers `ping`, `install` and `run` with the real protocol package, and
 * finishes each `sleep(ms)` task after ms on one of its `executors` simulated
 * executors, one task at a time each, so that thousands of executors fit on
 * two cores. `bye` drops the sender's queued tasks, as a real server does.
 */
export class SimulatedServer {
  private readonly router = new Router({ linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0 });
  private readonly writer: SocketWriter;
  private readonly instance = `simulated-${process.pid}-${Math.random().toString(36).slice(2)}`;
  private readonly queue: Running[] = [];
  private head = 0;
  private readonly free: number[];
  /** Running tasks by executor pid. */
  private readonly busy = new Map<number, Running>();
  /** Finished tasks by owner (routing id as a string), sent once per turn. */
  private readonly finished = new Map<string, { owner: Buffer; results: ResultItem[] }>();
  private readonly flush = new OncePerTurn(() => this.sendFinished());

  constructor(
    private readonly index: number,
    private readonly executors: number,
    private readonly log: WireLog,
  ) {
    this.writer = new SocketWriter(this.router, log);
    this.free = Array.from({ length: executors }, (_, i) => FIRST_PID + index * executors + i);
  }

  async start(): Promise<string> {
    await this.router.bind('tcp://127.0.0.1:0');
    void runMessageLoop(this.router, {
      ping: ({ req }, from) => {
        // As a real server: results first, then what it still holds, so the controller's reconciliation finds nothing missing.
        this.sendFinished();
        this.sendTo(from as Buffer, { t: 'pong', req, executors: this.info(), instance: this.instance, held: this.heldBy(from as Buffer) });
      },
      install: ({ req }, from) => this.sendTo(from as Buffer, { t: 'installed', req, names: [] }),
      run: ({ fns, tasks }, from) => this.enqueue(from as Buffer, fns.map((fn) => fn.name), tasks),
      bye: (_message, from) => this.dropOwner(from as Buffer),
    }, { routed: true, log: this.log });
    return this.router.lastEndpoint as string;
  }

  close(): void {
    this.router.close();
  }

  /** The ids of `owner`'s tasks queued or running here. */
  private heldBy(owner: Buffer): number[] {
    const ids: number[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const task = this.queue[i] as Running;
      if (task.owner.equals(owner)) ids.push(task.id);
    }
    for (const task of this.busy.values()) if (task.owner.equals(owner)) ids.push(task.id);
    return ids;
  }

  private info(): Array<[number, boolean]> {
    const pids = Array.from({ length: this.executors }, (_, i) => FIRST_PID + this.index * this.executors + i);
    return pids.map((pid) => [pid, this.busy.has(pid)]);
  }

  private enqueue(owner: Buffer, fns: Array<string | undefined>, tasks: TaskItem[]): void {
    for (const [id, fn, args] of tasks) {
      if (fns[fn] !== 'sleep') throw new Error(`the simulated server runs only sleep, not ${String(fns[fn])}`);
      const [[ms]] = decodeValue(args) as [[number]];
      this.queue.push({ owner, id, ms });
    }
    this.startQueued();
  }

  private startQueued(): void {
    while (this.free.length > 0 && this.head < this.queue.length) {
      const task = this.queue[this.head] as Running;
      this.queue[this.head++] = undefined as unknown as Running;
      const pid = this.free.pop() as number;
      this.busy.set(pid, task);
      setTimeout(() => this.finish(task, pid), task.ms);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }

  private finish(task: Running, pid: number): void {
    this.busy.delete(pid);
    this.free.push(pid);
    const key = task.owner.toString('latin1');
    let entry = this.finished.get(key);
    if (entry === undefined) this.finished.set(key, (entry = { owner: task.owner, results: [] }));
    entry.results.push([task.id, true, encodedSleepResult(task.ms), task.ms, pid, '']);
    this.startQueued();
    this.flush.request();
  }

  private sendFinished(): void {
    for (const { owner, results } of this.finished.values()) this.sendTo(owner, { t: 'done', results });
    this.finished.clear();
  }

  private dropOwner(owner: Buffer): void {
    const kept = this.queue.slice(this.head).filter((task) => !task.owner.equals(owner));
    this.queue.length = 0;
    this.head = 0;
    this.queue.push(...kept);
  }

  private sendTo(owner: Buffer, message: Message): void {
    this.writer.send([owner, ...encodeMessage(message)]);
  }
}

/** sleep(ms) returns ms: each distinct result is encoded once. */
const sleepResults = new Map<number, Payload>();
function encodedSleepResult(ms: number): Payload {
  let payload = sleepResults.get(ms);
  if (payload === undefined) sleepResults.set(ms, (payload = encodeValue(ms)));
  return payload;
}
