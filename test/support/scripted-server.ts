import { Router } from 'zeromq';
import { decodeMessage, decodeValue, encodeMessage, encodeValue, type ChannelMessage, type Message, type MessageType, type ResultItem } from '@scattergather/protocol';

type FromController = ChannelMessage<'controllerToServer'>;

/**
 * A worker server played by the test over a real ROUTER socket: it answers
 * pings as told (with the `held` list the test chooses, or not at all) and
 * lets the test decide what happens to each task, so a controller can be
 * shown each fault a real server only rarely produces.
 */
export class ScriptedServer {
  private readonly router = new Router({ linger: 0 });
  private controller: Buffer | undefined;
  private readonly waiters: Array<() => void> = [];
  readonly received: FromController[] = [];
  /** Wire ids this server says it holds in its pongs (every task it was sent and has not answered, unless the test says otherwise); undefined: pongs carry no `held`. */
  held: Set<number> | undefined = new Set();
  /** Called with each `run` as it arrives: the test decides what becomes of its tasks. */
  onRun: (run: Message<'run'>) => void = () => undefined;
  /** Called with every other message (fetch, install, …): the test answers it, or not. */
  onOther: (message: FromController) => void = () => undefined;
  /** Answers pings while true. */
  answering = true;
  instance = `scripted-${Math.random().toString(36).slice(2)}`;
  url = '';

  async start(executors = 2): Promise<this> {
    await this.router.bind('tcp://127.0.0.1:0');
    this.url = this.router.lastEndpoint as string;
    void this.read(executors);
    return this;
  }

  /** Every `run` task received so far: [wireId, args payload]. */
  get tasks(): Array<[number, unknown]> {
    return this.received.flatMap((m) => (m.t === 'run' ? m.tasks.map(([id, , args]) => [id, args] as [number, unknown]) : []));
  }

  /** Results as `echo` would give them: each task's first argument (a task travels as [args, kwargs?]), with the run time given. */
  results(tasks: Message<'run'>['tasks'], ms = 0.1): ResultItem[] {
    return tasks.map(([id, , args]) => [id, true, encodeValue((decodeValue(args) as unknown[][])[0]?.[0]), ms, 4242, '']);
  }

  /** Answers tasks as `echo` would, and holds them no longer. */
  answer(tasks: Message<'run'>['tasks'], ms = 0.1): Promise<void> {
    for (const [id] of tasks) this.held?.delete(id);
    return this.send({ t: 'done', results: this.results(tasks, ms) });
  }

  send(message: Message): Promise<void> {
    if (this.controller === undefined) throw new Error('no controller has spoken to this scripted server yet');
    return this.router.send([this.controller, ...encodeMessage(message)]);
  }

  /** Waits (bounded) until `condition` holds over what was received. */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`scripted server: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  count(type: MessageType): number {
    return this.received.filter((m) => m.t === type).length;
  }

  close(): void {
    this.router.close();
  }

  private async read(executors: number): Promise<void> {
    try {
      for await (const [from, ...frames] of this.router) {
        const decoded = decodeMessage(frames);
        if (!decoded.ok || from === undefined) continue;
        this.controller = from;
        const message = decoded.message as FromController;
        this.received.push(message);
        if (message.t === 'ping' && this.answering) {
          const execs = Array.from({ length: executors }, (_, i): [number, boolean] => [100_000 + i, false]);
          const held = this.held === undefined ? {} : { held: [...this.held] };
          void this.send({ t: 'pong', req: message.req, executors: execs, instance: this.instance, ...held });
        }
        if (message.t === 'run') {
          for (const [id] of message.tasks) this.held?.add(id);
          this.onRun(message);
        } else if (message.t !== 'ping') {
          this.onOther(message);
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // closed
    }
  }
}
