/**
 * Calls `stop` once, on the first of SIGTERM, SIGINT or (with `exitWithStdin`)
 * standard input closing: how every long-running scattergather process learns
 * to stop, including when the process that started it dies and its pipe closes.
 * Returns the same once-only request, for other reasons to stop.
 */
export function onStopRequest(stop: (reason: string) => Promise<void>, options: { exitWithStdin?: boolean } = {}): (reason: string) => void {
  let stopping = false;
  const request = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    void stop(reason);
  };
  process.on('SIGTERM', () => request('SIGTERM'));
  process.on('SIGINT', () => request('SIGINT'));
  if (options.exitWithStdin === true) {
    process.stdin.on('end', () => request('stdin closed')).on('error', () => request('stdin closed')).resume();
  }
  return request;
}
