import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { readPipeFrames } from '@scattergather/protocol';

/**
 * The executor's end of its task pipe: every message its server sends, as
 * frames, until the server is gone. Read through libuv's own poll, not its
 * thread pool: a message wakes the event loop directly.
 */
export function readTaskPipe(path: string, maxMessageBytes: number): AsyncGenerator<Buffer[]> {
  // The server holds the pipe open read-write: this open never waits.
  return readPipeFrames(new Socket({ fd: openSync(path, constants.O_RDONLY), readable: true, writable: false }), maxMessageBytes);
}
