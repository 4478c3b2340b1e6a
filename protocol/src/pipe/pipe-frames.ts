import type { Socket } from 'node:net';
import { decodeMessageRecord, encodeMessageRecord } from './message-record.js';
import { RecordSplitter } from './record-framing.js';

/**
 * What a pipe record adds to a message (its length, and each frame's): the framing allows this much past the
 * message limit, so that runMessageLoop, given the same limit, is what refuses a message over it (and the
 * pipe goes on), not the framing.
 */
const RECORD_SLACK = 1 << 20;

/**
 * Every message a pipe brings, as frames (what runMessageLoop takes), until it ends or is closed here.
 * Throws if it cannot be framed: a record past `maxMessageBytes` and its framing's slack, or a frame past its record.
 */
export async function* readPipeFrames(stream: AsyncIterable<Buffer>, maxMessageBytes: number): AsyncGenerator<Buffer[]> {
  const splitter = new RecordSplitter(maxMessageBytes + RECORD_SLACK);
  try {
    for await (const chunk of stream) {
      for (const record of splitter.push(chunk)) yield decodeMessageRecord(record);
    }
  } catch (error) {
    // Our own end destroyed while reading (a link closed on purpose): the stream simply ends.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}

/** Writes one message (its frames, as encodeMessage makes them) in one writev; what the pipe cannot take yet waits in libuv. */
export function writePipeFrames(socket: Socket, frames: readonly Buffer[]): void {
  socket.cork();
  for (const buffer of encodeMessageRecord(frames)) socket.write(buffer);
  socket.uncork();
}
