/**
 * Runs `work` once at the end of this turn of the event loop, however often it
 * is asked for. Messages that arrive together are then answered together: one
 * dispatch pass and one outgoing batch, instead of one per incoming message.
 */
export class OncePerTurn {
  private scheduled = false;

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    this.work();
  };
}
