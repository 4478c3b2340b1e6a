/** What one task may print before the rest is cut (the result says so). */
const LIMIT = 64 * 1024;

/**
 * Catches what task code writes to stdout and stderr (console.log included), so
 * it travels back with the task's result instead of vanishing into the server's
 * log; what is fresh (not yet streamed live) is kept apart for `takeFresh`.
 * The executor's own log goes to fd 2 directly and is not caught.
 */
export class OutputCapture {
  private chunks: string[] = [];
  private fresh: string[] = [];
  private size = 0;
  private cut = false;

  /** `onPrint` hears of every write that was kept, to schedule a live flush. */
  constructor(private readonly onPrint: () => void = () => undefined) {
    for (const stream of [process.stdout, process.stderr]) {
      stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
        this.append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
        return true;
      }) as typeof stream.write;
    }
  }

  /** Everything printed since the last take (the fresh part goes with it). */
  take(): string {
    this.fresh = [];
    if (this.size === 0) return '';
    const text = this.chunks.join('') + (this.cut ? `\n[output cut at ${LIMIT} bytes]\n` : '');
    this.chunks = [];
    this.size = 0;
    this.cut = false;
    return text;
  }

  /** What was printed since the last take or takeFresh, for live output; `take` still returns it. */
  takeFresh(): string {
    const text = this.fresh.join('');
    this.fresh = [];
    return text;
  }

  private append(text: string): void {
    if (this.size >= LIMIT) {
      this.cut = true;
      return;
    }
    const kept = text.length + this.size > LIMIT ? text.slice(0, LIMIT - this.size) : text;
    this.chunks.push(kept);
    this.fresh.push(kept);
    this.size += text.length;
    this.onPrint();
  }
}
