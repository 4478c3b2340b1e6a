import { curveKeyPair, Dealer } from 'zeromq';
import type { BenchCase } from '../bench-case.js';
import { nowMs } from '../timing.js';
import type { PeerProcess } from './peer-process.js';
import { pipeline } from './pipeline.js';
import { baselineKey, BOTH_UNLIMITED } from './zmq-options.js';

const MiB = 1024 * 1024;

/**
 * Raw bulk transfer: `messages` buffers of `mib` MiB each from this process to
 * the peer, back to back, each answered with 8 bytes (as our tasks' small
 * results answer their large arguments); timed until the last answer. One
 * buffer is sent again and again, so this is the transport's ceiling, with no
 * encoding or allocation in it. With `curveServerKey`, it goes to the peer's
 * CURVE socket instead: every byte encrypted and decrypted, as on a local
 * cluster's controller↔server hop.
 */
export function zmqBulk(peer: PeerProcess, options: { messages: number; mib: number; curveServerKey?: string }): BenchCase {
  const curve = options.curveServerKey;
  const endpoint = curve === undefined ? peer.endpoints.ack : peer.endpoints.ackCurve;
  // Made in setup, so that a bench that never gets that far leaves no socket open.
  let dealer: Dealer | undefined;
  const buffer = Buffer.alloc(options.mib * MiB, 1);

  async function once(count: number): Promise<number> {
    if (dealer === undefined) throw new Error('not set up');
    const started = nowMs();
    await pipeline(dealer, buffer, count);
    return nowMs() - started;
  }

  return {
    key: baselineKey(curve === undefined ? 'bulk' : 'bulkCurve', peer.transport),
    async setup() {
      if (endpoint === undefined) throw new Error(`the ${peer.transport} peer has no CURVE socket`);
      const pair = curve === undefined ? undefined : curveKeyPair();
      const security = pair === undefined ? {} : { curveServerKey: curve, curvePublicKey: pair.publicKey, curveSecretKey: pair.secretKey };
      dealer = new Dealer({ ...BOTH_UNLIMITED, ...security });
      dealer.connect(endpoint);
      await once(Math.min(8, options.messages));
    },
    async run() {
      const ms = await once(options.messages);
      return { mibPerSec: (options.messages * options.mib) / (ms / 1000) };
    },
    async close() {
      if (dealer?.closed === false) dealer.close();
    },
  };
}
