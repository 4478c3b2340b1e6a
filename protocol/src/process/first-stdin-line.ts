/** What came instead of a first line on standard input. */
export type MissingLine = 'closed' | 'too long' | 'timed out';

/**
 * The first line of standard input (without its newline), or why there is
 * none, leaving the stream paused for whoever reads on (an --exit-with-stdin
 * watch): how a launcher hands a process what must not sit in argv or the
 * environment (a key), or what it learns only after starting it (addresses).
 */
export function readFirstStdinLine(timeoutMs: number, maxBytes = 4096): Promise<{ line: string } | { missing: MissingLine }> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (outcome: { line: string } | { missing: MissingLine }): void => {
      clearTimeout(timer);
      process.stdin.off('data', onData).off('end', onEnd).off('error', onEnd).pause();
      resolve(outcome);
    };
    const onData = (chunk: string): void => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) finish({ line: text.slice(0, end) });
      else if (text.length > maxBytes) finish({ missing: 'too long' });
    };
    const onEnd = (): void => finish({ missing: 'closed' });
    const timer = setTimeout(() => finish({ missing: 'timed out' }), timeoutMs);
    process.stdin.setEncoding('utf8').on('data', onData).on('end', onEnd).on('error', onEnd);
  });
}
