import { Dealer } from 'zeromq';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import type { PeerProcess } from './peer-process.js';
import { baselineKey, BOTH_UNLIMITED } from './zmq-options.js';

/**
 * Raw sleep scaling: `tasks` sleeps of `ms` each, `concurrency` at a time, as
 * requests to the peer's `delay` socket, which answers each after its sleep; a
 * new one leaves as each answer arrives. Efficiency is the ideal time
 * (tasks × ms / concurrency) over the time taken: what ZeroMQ and Node's
 * timers alone reach on this machine, with no scheduler in between.
 */
export function zmqSleepScaling(peer: PeerProcess, options: { tasks: number; ms: number; concurrency: number }): BenchCase {
  // Made in setup, so that a bench that never gets that far leaves no socket open.
  let dealer: Dealer | undefined;
  const message = Buffer.alloc(8);
  message.writeDoubleLE(options.ms);

  async function once(tasks: number): Promise<number> {
    if (dealer === undefined) throw new Error('not set up');
    const started = nowMs();
    let sent = 0;
    for (; sent < Math.min(options.concurrency, tasks); sent++) await dealer.send(message);
    for (let answered = 0; answered < tasks; answered++) {
      await dealer.receive();
      if (sent < tasks) {
        await dealer.send(message);
        sent += 1;
      }
    }
    return nowMs() - started;
  }

  return {
    key: baselineKey('sleepScaling', peer.transport),
    async setup() {
      dealer = new Dealer(BOTH_UNLIMITED);
      dealer.connect(peer.endpoints.delay);
      await once(options.concurrency * 4);
    },
    async run() {
      const ms = await once(options.tasks);
      return { efficiencyPct: (100 * (options.tasks * options.ms)) / options.concurrency / ms };
    },
    async close() {
      if (dealer?.closed === false) dealer.close();
    },
  };
}
