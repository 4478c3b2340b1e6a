import type { Socket } from 'node:net';
import { decodeMessageRecord, encodeMessageRecord } from './message-record.js';
import { RecordSplitter } from './record-framing.js';

/** Every message a pipe brings, as frames (what runMessageLoop takes), until it ends. */
export async function* readPipeFrames(stream: AsyncIterable<Buffer>, maxRecordBytes: number): AsyncGenerator<Buffer[]> {
  const splitter = new RecordSplitter(maxRecordBytes);
  for await (const chunk of stream) {
    for (const record of splitter.push(chunk)) yield decodeMessageRecord(record);
  }
}

/** Writes one message (its frames, as encodeMessage makes them) in one writev; what the pipe cannot take yet waits in libuv. */
export function writePipeFrames(socket: Socket, frames: readonly Buffer[]): void {
  socket.cork();
  for (const buffer of encodeMessageRecord(frames)) socket.write(buffer);
  socket.uncork();
}
