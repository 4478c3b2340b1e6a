import { Pull, Push } from 'zeromq';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import type { PeerProcess } from './peer-process.js';
import { baselineKey, RECEIVING, SENDING } from './zmq-options.js';

/**
 * Raw PUSH→PULL: `messages` small messages from this process to the peer,
 * awaiting each send (zeromq.js allows one pending send per socket), timed
 * until the peer reports it has them all. One way, so a ceiling for any
 * message-per-task design rather than a like-for-like figure.
 */
export function zmqPushPull(peer: PeerProcess, options: { messages: number; bytes: number }): BenchCase {
  // Made in setup, so that a bench that never gets that far leaves no socket open.
  let sockets: { push: Push; acks: Pull } | undefined;
  const message = Buffer.alloc(options.bytes, 7);
  const end = Buffer.alloc(0);

  async function once(count: number): Promise<number> {
    if (sockets === undefined) throw new Error('not set up');
    const { push, acks } = sockets;
    const started = nowMs();
    for (let i = 0; i < count; i++) await push.send(message);
    await push.send(end);
    const [reply] = await acks.receive();
    const elapsed = nowMs() - started;
    const got = reply?.readDoubleLE(0);
    if (got !== count) throw new Error(`the peer counted ${String(got)} of ${count} messages`);
    return elapsed;
  }

  return {
    key: baselineKey('pushPull', peer.transport),
    async setup() {
      sockets = { push: new Push(SENDING), acks: new Pull(RECEIVING) };
      sockets.push.connect(peer.endpoints.sink);
      sockets.acks.connect(peer.endpoints.sinkAck);
      await once(Math.min(10_000, options.messages));
    },
    async run() {
      const ms = await once(options.messages);
      return { msgsPerSec: options.messages / (ms / 1000) };
    },
    async close() {
      for (const socket of [sockets?.push, sockets?.acks]) if (socket?.closed === false) socket.close();
    },
  };
}
