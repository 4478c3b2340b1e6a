import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { RecordSplitter } from '../result-pipe/record-framing.js';
import { decodeMessageRecord } from './message-record.js';

/**
 * The executor's end of its task pipe: every message its server sends, as
 * frames, until the server is gone. Read through libuv's own poll, not its
 * thread pool: a message wakes the event loop directly.
 */
export async function* readTaskPipe(path: string, maxRecordBytes: number): AsyncGenerator<Buffer[]> {
  // The server holds the pipe open read-write: this open never waits.
  const socket = new Socket({ fd: openSync(path, constants.O_RDONLY), readable: true, writable: false });
  const splitter = new RecordSplitter(maxRecordBytes);
  for await (const chunk of socket) {
    for (const record of splitter.push(chunk as Buffer)) yield decodeMessageRecord(record);
  }
}
