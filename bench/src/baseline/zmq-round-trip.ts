import { Dealer } from 'zeromq';
import type { BenchCase } from '../bench-case.js';
import { percentile } from '../stats.js';
import { nowMs } from '../timing.js';
import type { PeerProcess } from './peer-process.js';
import { baselineKey, BOTH } from './zmq-options.js';

/** Raw DEALER↔ROUTER round trip: `count` sequential small request/echo pairs; p50 and p99 in µs. */
export function zmqRoundTrip(peer: PeerProcess, options: { count: number; bytes: number }): BenchCase {
  // Made in setup, so that a bench that never gets that far leaves no socket open.
  let dealer: Dealer | undefined;
  const message = Buffer.alloc(options.bytes, 7);

  async function once(count: number): Promise<number[]> {
    if (dealer === undefined) throw new Error('not set up');
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = nowMs();
      await dealer.send(message);
      await dealer.receive();
      samples.push((nowMs() - started) * 1000);
    }
    return samples;
  }

  return {
    key: baselineKey('roundTrip', peer.transport),
    async setup() {
      dealer = new Dealer(BOTH);
      dealer.connect(peer.endpoints.echo);
      await once(100);
    },
    async run() {
      const samples = await once(options.count);
      return { p50Us: percentile(samples, 50), p99Us: percentile(samples, 99) };
    },
    async close() {
      if (dealer?.closed === false) dealer.close();
    },
  };
}
