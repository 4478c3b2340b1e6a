import { constants, openSync, writeSync } from 'node:fs';

const RING = Buffer.from([1]);

/** The executor's end of the server's Doorbell: one byte written when it pauses, never blocking. */
export class DoorbellButton {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  }

  press(): void {
    try {
      writeSync(this.fd, RING);
    } catch (error) {
      // A full doorbell (EAGAIN) has rings the server has yet to read: one more adds nothing.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
