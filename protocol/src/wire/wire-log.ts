/** The slice of a logger (pino's shape) that the wire helpers need. */
export interface WireLog {
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}

/**
 * Logs dropped messages (or refused peers: `what`) at most once per `intervalMs` for each reason, with
 * the count of those it kept quiet about, so a flood of garbage cannot flood the log.
 */
export class DropLog {
  private readonly last = new Map<string, { at: number; quiet: number }>();

  constructor(
    private readonly log: WireLog,
    private readonly intervalMs = 5000,
    private readonly what = 'dropped a message',
  ) {}

  drop(reason: string, details: object): void {
    const now = Date.now();
    const entry = this.last.get(reason);
    if (entry !== undefined && now - entry.at < this.intervalMs) {
      entry.quiet += 1;
      return;
    }
    this.last.set(reason, { at: now, quiet: 0 });
    this.log.warn({ ...details, reason, alsoDroppedSinceLastLine: entry?.quiet ?? 0 }, `${this.what}: ${reason}`);
  }
}
