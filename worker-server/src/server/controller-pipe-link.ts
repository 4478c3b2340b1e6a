import { rmdirSync, rmSync } from 'node:fs';
import { PipeLinkEnd, pipeLinkPaths, whyNotPrivate } from '@scattergather/protocol';
import { randomUUID } from 'node:crypto';
import { WorkerServerError } from '../errors.js';
import { makeFifos } from '../result-pipe/make-fifo.js';

/**
 * The server's end of a pipe link (`--pipe-link DIR`): one controller on this
 * machine talks to it over two FIFOs the server makes, mode 0600, in DIR, a
 * directory only this user can enter. Only this user's processes can open
 * them, and those could read the cluster key anyway: the link needs no CURVE.
 * Its messages are handled as the ROUTER's are, from a routing id of its own.
 */
export class ControllerPipeLink {
  /** The controller on the other end, as the server's handlers know it. */
  readonly id = Buffer.from(`pipe-${randomUUID()}`);
  private readonly end: PipeLinkEnd;
  private readonly paths: { toServer: string; toController: string };

  constructor(private readonly dir: string) {
    const notPrivate = whyNotPrivate(dir);
    if (notPrivate !== undefined) throw new WorkerServerError('ERR_PIPE_LINK', `--pipe-link ${dir}: ${notPrivate}; give a directory only you can enter (mkdir -m 700)`);
    this.paths = pipeLinkPaths(dir);
    // mkfifo refuses a name that exists: nobody can have slipped a FIFO of their own in first.
    makeFifos([this.paths.toServer, this.paths.toController], 'a controller pipe link');
    this.end = new PipeLinkEnd(this.paths.toServer, this.paths.toController);
  }

  frames(maxRecordBytes: number): AsyncGenerator<Buffer[]> {
    return this.end.frames(maxRecordBytes);
  }

  isFrom(owner: Buffer): boolean {
    return owner.equals(this.id);
  }

  send(frames: readonly Buffer[]): void {
    this.end.send(frames);
  }

  /**
   * Waits up to `timeoutMs` for what was sent to leave, then closes and removes the FIFOs, and the directory
   * if that leaves it empty (it was made for this link alone; a client killed outright cannot remove it).
   */
  async close(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.end.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    this.end.close();
    for (const path of [this.paths.toServer, this.paths.toController]) rmSync(path, { force: true });
    try {
      rmdirSync(this.dir);
    } catch {
      // not empty, or gone already: not ours to remove
    }
  }
}
