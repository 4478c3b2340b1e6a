import { join } from 'node:path';
import { JsonLineChild } from '../json-line-child.js';
import { CURVE_SECRET_ENV, type PeerEndpoints, type Transport } from './peer-endpoints.js';

const START_TIMEOUT_MS = 15_000;

/** A running peer.js process (see there) and the endpoints it bound. */
export class PeerProcess {
  private constructor(
    private readonly child: JsonLineChild<PeerEndpoints>,
    readonly transport: Transport,
  ) {}

  /** `curveSecretKey`: also bind a CURVE `ackCurve` socket with this server key (tcp only). */
  static async start(transport: Transport, curveSecretKey?: string): Promise<PeerProcess> {
    const env = { ...process.env };
    if (curveSecretKey !== undefined) env[CURVE_SECRET_ENV] = curveSecretKey;
    const child = await JsonLineChild.start<PeerEndpoints>(`the ${transport} baseline peer`, join(__dirname, 'peer.js'), [transport], env, START_TIMEOUT_MS);
    return new PeerProcess(child, transport);
  }

  get endpoints(): PeerEndpoints {
    return this.child.info;
  }

  get pid(): number {
    return this.child.pid;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
