import { rmdirSync, rmSync } from 'node:fs';
import { PipeLinkEnd, pipeLinkPaths, whyNotPrivate } from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';
import { makeFifos } from '../result-pipe/make-fifo.js';

/**
 * The server's end of a pipe link (`--pipe-link DIR`): one controller on this
 * machine talks to it over two FIFOs the server makes, mode 0600, in DIR, a
 * directory only this user can enter. Only this user's processes can open
 * them, and those could read the cluster key anyway: the link needs no CURVE.
 * The controller's first record names it by its routing id, the one it uses
 * on every other server too (kept values are filed under it, and servers
 * fetch them from each other by it); its messages are then handled as the
 * ROUTER's are, from that id.
 */
export class ControllerPipeLink {
  /** The controller on the other end, once it has named itself. */
  id: Buffer | undefined;
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

  /** The controller's messages, after the record that names it. */
  async *messages(maxMessageBytes: number): AsyncGenerator<Buffer[]> {
    const records = this.end.frames(maxMessageBytes);
    const hello = await records.next();
    if (hello.done === true) return;
    const [id] = hello.value;
    // As a ZeroMQ routing id: 1 to 255 bytes.
    if (hello.value.length !== 1 || id === undefined || id.byteLength === 0 || id.byteLength > 255) {
      throw new WorkerServerError('ERR_PIPE_LINK', 'a controller opened the pipe link without naming itself first');
    }
    this.id = Buffer.from(id);
    yield* records;
  }

  isFrom(owner: Buffer): boolean {
    return this.id !== undefined && owner.equals(this.id);
  }

  send(frames: readonly Buffer[]): void {
    this.end.send(frames);
  }

  /**
   * Waits up to `timeoutMs` for what was sent to leave, then closes and removes the FIFOs, and the directory
   * if that leaves it empty (it was made for this link alone; a client killed outright cannot remove it).
   */
  async close(timeoutMs: number): Promise<void> {
    await this.end.drain(timeoutMs);
    this.end.close();
    for (const path of [this.paths.toServer, this.paths.toController]) rmSync(path, { force: true });
    try {
      rmdirSync(this.dir);
    } catch {
      // not empty, or gone already: not ours to remove
    }
  }
}
