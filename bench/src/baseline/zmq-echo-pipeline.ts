import { Dealer } from 'zeromq';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import type { PeerProcess } from './peer-process.js';
import { pipeline } from './pipeline.js';
import { baselineKey, BOTH_UNLIMITED } from './zmq-options.js';

/**
 * Raw DEALER→ROUTER echo pipeline: `messages` small messages sent back to back
 * while a concurrent reader collects the echoes; timed from the first send to
 * the last echo. The like-for-like floor for tasks/s: every task is a request
 * and a reply, as here, but here there is one hop instead of three and no work.
 */
export function zmqEchoPipeline(peer: PeerProcess, options: { messages: number; bytes: number }): BenchCase {
  // Made in setup, so that a bench that never gets that far leaves no socket open.
  let dealer: Dealer | undefined;
  const message = Buffer.alloc(options.bytes, 7);

  async function once(count: number): Promise<number> {
    if (dealer === undefined) throw new Error('not set up');
    const started = nowMs();
    await pipeline(dealer, message, count);
    return nowMs() - started;
  }

  return {
    key: baselineKey('echoPipeline', peer.transport),
    async setup() {
      dealer = new Dealer(BOTH_UNLIMITED);
      dealer.connect(peer.endpoints.echo);
      await once(Math.min(2_000, options.messages));
    },
    async run() {
      const ms = await once(options.messages);
      return { msgsPerSec: options.messages / (ms / 1000) };
    },
    async close() {
      if (dealer?.closed === false) dealer.close();
    },
  };
}
