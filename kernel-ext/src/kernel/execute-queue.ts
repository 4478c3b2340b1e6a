/**
 * The order execute requests run in, with Jupyter's `stop_on_error`: a request
 * that fails with `stop_on_error` not false aborts the requests already queued
 * behind it (Run All), and nothing sent after its reply. tslab 1.0.22 instead
 * aborts whatever arrives within 200 ms of any failure (its issue #19), which
 * ignores `stop_on_error: false` and makes headless runs flaky.
 */
export type ExecuteStatus = 'ok' | 'error' | 'aborted';

interface Ticket {
  aborted: boolean;
}

export class ExecuteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly queued = new Set<Ticket>();

  /** Runs `body` (true when the cell succeeded) after every request queued before it. */
  run(stopOnError: boolean, body: () => Promise<boolean>): Promise<ExecuteStatus> {
    const ticket: Ticket = { aborted: false };
    this.queued.add(ticket);
    const turn = this.tail.then(async (): Promise<ExecuteStatus> => {
      this.queued.delete(ticket);
      if (ticket.aborted) return 'aborted';
      if (await body()) return 'ok';
      if (stopOnError) {
        // Lets requests that ZeroMQ already delivered join the queue first, as ipykernel flushes its streams.
        await new Promise((resolve) => setImmediate(resolve));
        for (const t of this.queued) t.aborted = true;
      }
      return 'error';
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
