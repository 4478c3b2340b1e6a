import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { decodeMessage, encodeMessage, encodeValue, readPipeFrames, runMessageLoop, writePipeFrames, type Message } from '@scattergather/protocol';

// writePipeFrames wants a net.Socket; cork, write and uncork are all it uses.
type Corkable = { cork(): void; uncork(): void; write(b: Buffer): boolean };
const writeFrames = writePipeFrames as unknown as (socket: Corkable, frames: readonly Buffer[]) => void;

/** What readPipeFrames makes of `bytes` arriving in pieces of `cut` bytes. */
async function readAll(bytes: Buffer, cut: number, maxMessageBytes = 2 ** 31): Promise<Message[]> {
  const stream = new PassThrough();
  const read = (async () => {
    const messages: Message[] = [];
    for await (const frames of readPipeFrames(stream, maxMessageBytes)) {
      const decoded = decodeMessage(frames);
      if (!decoded.ok) throw decoded.error;
      messages.push(decoded.message);
    }
    return messages;
  })();
  for (let at = 0; at < bytes.byteLength; at += cut) stream.write(bytes.subarray(at, at + cut));
  stream.end();
  return read;
}

/** The bytes writePipeFrames writes for these messages. */
function piped(messages: Message[]): Buffer {
  const chunks: Buffer[] = [];
  const socket: Corkable = { cork() {}, uncork() {}, write(b: Buffer) { chunks.push(b); return true; } };
  for (const message of messages) writeFrames(socket, encodeMessage(message));
  return Buffer.concat(chunks);
}

describe('protocol/pipe: messages over a byte stream', () => {
  const messages: Message[] = [
    { t: 'ping', req: 1 },
    { t: 'run', fns: [{ name: 'echo' }], tasks: [[7, 0, encodeValue([[new Float64Array(50_000).fill(1.5)]]), 0]] },
    { t: 'cancel', ids: [1, 2, 3] },
  ];

  it('come out whole and in order however the stream is cut, payload frames included', async () => {
    const bytes = piped(messages);
    for (const cut of [1, 5, 4096, bytes.byteLength]) {
      const got = await readAll(bytes, cut);
      assert.deepEqual(got.map((m) => m.t), ['ping', 'run', 'cancel'], `cut every ${cut} bytes`);
      const run = got[1] as Message<'run'>;
      assert.equal(run.tasks[0]?.[0], 7);
    }
  });

  it('frame a message over the limit, which runMessageLoop given the same limit drops, and go on to the next', async () => {
    const stream = new PassThrough();
    const heard: string[] = [];
    const dropped: string[] = [];
    const log = { warn: (_details: object, message: string) => dropped.push(message), debug: () => undefined };
    const loop = runMessageLoop(readPipeFrames(stream, 64), { ping: (m) => { heard.push(m.t); }, run: (m) => { heard.push(m.t); }, cancel: (m) => { heard.push(m.t); } }, { log, maxBytes: 64 });
    stream.end(piped(messages));
    await loop;
    assert.deepEqual(heard, ['ping', 'cancel'], 'the run of 400 kB was dropped; the messages around it were not');
    assert.deepEqual(dropped, ['dropped a message: over the size limit']);
  });

  it('refuse a record past the limit and its framing slack, and a frame that runs past its record', async () => {
    const huge: Message = { t: 'run', fns: [{ name: 'echo' }], tasks: [[8, 0, encodeValue([[new Float64Array(200_000)]]), 0]] };
    await assert.rejects(readAll(piped([huge]), 4096, 64), /over the 1048640-byte limit/);
    const lying = Buffer.alloc(12);
    lying.writeUInt32LE(8, 0);
    lying.writeUInt32LE(100, 4);
    await assert.rejects(readAll(lying, 12), /runs past the end/);
  });
});
