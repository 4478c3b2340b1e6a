import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import type { Transport } from './peer-endpoints.js';
import { PeerProcess } from './peer-process.js';
import { baselineKey } from './zmq-options.js';

/**
 * Raw start-up: a fresh Node process that loads zeromq, binds its sockets and
 * says so on stdout (the baseline peer), timed from spawn to that line. The
 * floor under any cluster's start-up: every one of our processes pays it once.
 */
export function processStart(transport: Transport): BenchCase {
  async function once(): Promise<number> {
    const started = nowMs();
    const peer = await PeerProcess.start(transport);
    const elapsed = nowMs() - started;
    await peer.stop();
    return elapsed;
  }

  return {
    key: baselineKey('processStart', transport),
    async setup() {
      await once();
    },
    async run() {
      return { readyMs: await once() };
    },
    async close() {},
  };
}
