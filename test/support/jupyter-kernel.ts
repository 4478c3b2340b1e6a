/**
 * Drives a kernel of a test Jupyter server through @jupyterlab/services:
 * execute a cell and collect its outputs, keep every IOPub message (progress
 * updates arrive after their cell finished), complete, inspect, interrupt.
 * Every wait is bounded.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { JupyterServer } from './jupyter-server';

type Services = typeof import('@jupyterlab/services');
let services: Services | undefined;
async function load(): Promise<Services> {
  services ??= await import('@jupyterlab/services');
  return services;
}

export interface CellRun {
  status: string;
  executionCount: number | null;
  messages: KernelMessage.IIOPubMessage[];
  /** stdout and stderr, concatenated. */
  stdout: string;
  stderr: string;
  results: Array<Record<string, unknown>>;
  displays: KernelMessage.IIOPubMessage[];
  errors: Array<{ ename: string; evalue: string; traceback: string[] }>;
  ms: number;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export class TestKernel {
  /** Every IOPub message of this kernel, in arrival order. */
  readonly iopub: KernelMessage.IIOPubMessage[] = [];

  private constructor(
    readonly connection: Kernel.IKernelConnection,
    private readonly manager: Kernel.IManager,
  ) {
    connection.iopubMessage.connect((_, msg) => {
      this.iopub.push(msg);
    });
  }

  static async start(server: JupyterServer, name = 'scattergather', timeoutMs = 30_000): Promise<TestKernel> {
    const s = await load();
    const serverSettings = s.ServerConnection.makeSettings({ baseUrl: server.baseUrl, wsUrl: server.baseUrl.replace(/^http/, 'ws'), token: server.token });
    const manager = new s.KernelManager({ serverSettings });
    const connection = await withTimeout(manager.startNew({ name }), timeoutMs, 'kernel start');
    const k = new TestKernel(connection, manager);
    await withTimeout(connection.info, timeoutMs, 'kernel info');
    return k;
  }

  /** Sends the request at once (before the first await), so calls made together queue in the kernel together. */
  async execute(code: string, timeoutMs = 30_000, stopOnError = false): Promise<CellRun> {
    const started = Date.now();
    const future = this.connection.requestExecute({ code, stop_on_error: stopOnError });
    const messages: KernelMessage.IIOPubMessage[] = [];
    future.onIOPub = (msg) => {
      messages.push(msg);
    };
    const reply = (await withTimeout(future.done, timeoutMs, `execute ${JSON.stringify(code.slice(0, 60))}`)) as KernelMessage.IExecuteReplyMsg;
    const of = (type: string) => messages.filter((m) => m.header.msg_type === type);
    const stream = (name: string) =>
      of('stream')
        .map((m) => m.content as KernelMessage.IStreamMsg['content'])
        .filter((c) => c.name === name)
        .map((c) => c.text)
        .join('');
    return {
      status: reply.content.status,
      executionCount: (reply.content as { execution_count?: number }).execution_count ?? null,
      messages,
      stdout: stream('stdout'),
      stderr: stream('stderr'),
      results: of('execute_result').map((m) => (m.content as { data: Record<string, unknown> }).data),
      displays: of('display_data'),
      errors: of('error').map((m) => m.content as CellRun['errors'][number]),
      ms: Date.now() - started,
    };
  }

  async complete(code: string, cursor = code.length): Promise<{ matches: string[]; cursor_start: number; cursor_end: number }> {
    const reply = await withTimeout(this.connection.requestComplete({ code, cursor_pos: cursor }), 10_000, 'complete');
    if (reply.content.status !== 'ok') throw new Error(`complete failed: ${JSON.stringify(reply.content)}`);
    return reply.content;
  }

  async inspect(code: string, cursor = code.length): Promise<KernelMessage.IInspectReplyMsg['content']> {
    const reply = await withTimeout(this.connection.requestInspect({ code, cursor_pos: cursor, detail_level: 0 }), 10_000, 'inspect');
    return reply.content;
  }

  async interrupt(): Promise<void> {
    await withTimeout(this.connection.interrupt(), 10_000, 'interrupt');
  }

  /** Waits until `predicate` holds over the IOPub messages seen so far. */
  async waitForIopub(predicate: (msgs: KernelMessage.IIOPubMessage[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.iopub)) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async shutdown(): Promise<void> {
    try {
      await withTimeout(this.connection.shutdown(), 15_000, 'kernel shutdown');
    } catch {
      // the server's stop kills what is left
    }
    this.connection.dispose();
    this.manager.dispose();
  }
}

/** text/plain of an execute_result or display data. */
export function plain(data: Record<string, unknown> | undefined): string {
  return String(data?.['text/plain'] ?? '');
}
