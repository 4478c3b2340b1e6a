import { Router } from 'zeromq';
import { DropLog, z85Decode, type ClusterKey } from '@scattergather/protocol';
import type { Logger } from '../logger.js';

/** The ZAP endpoint libzmq asks, in this process's default context, about every peer of a socket with a zap-domain. */
const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

/**
 * The ZeroMQ authentication handler (RFC 27): admits a CURVE peer only when it
 * presents the cluster's public key. zeromq.js ships none; without one, a CURVE
 * server admits any client that merely knows its public key.
 */
export class ZapHandler {
  private readonly socket = new Router({ linger: 0 });
  private readonly allowed: Buffer;
  private readonly denials: DropLog;

  constructor(key: ClusterKey, log: Logger) {
    this.allowed = z85Decode(key.publicKey);
    this.denials = new DropLog(log, 10_000, 'refused a peer');
  }

  async start(): Promise<void> {
    await this.socket.bind(ZAP_ENDPOINT);
    void this.serve();
  }

  close(): void {
    this.socket.close();
  }

  private async serve(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        // [routing id, empty, version, request id, domain, address, identity, mechanism, ...credentials]
        const [routingId, , version, requestId, , address, , mechanism, clientKey] = frames;
        if (routingId === undefined || requestId === undefined) continue;
        const admitted = version?.toString() === '1.0' && mechanism?.toString() === 'CURVE' && clientKey !== undefined && clientKey.equals(this.allowed);
        if (!admitted) this.denials.drop('it lacks the cluster key', { address: address?.toString(), mechanism: mechanism?.toString() });
        await this.socket.send([routingId, Buffer.alloc(0), '1.0', requestId, admitted ? '200' : '400', admitted ? 'OK' : 'not the cluster key', '', Buffer.alloc(0)]);
      }
    } catch (error) {
      if (!this.socket.closed) throw error;
    }
  }
}
