/** The one line sg-worker prints on stdout when it is ready; launchers read it to learn its address. */
const READY_LINE = /^sg-worker listening on (tcp:\/\/[^\s#]+) with (\d+) executors$/;

export function formatReadyLine(url: string, executors: number): string {
  return `sg-worker listening on ${url} with ${executors} executors`;
}

export function parseReadyLine(line: string): { url: string; executors: number } | undefined {
  const match = READY_LINE.exec(line.trim());
  return match === null ? undefined : { url: match[1] as string, executors: Number(match[2]) };
}
