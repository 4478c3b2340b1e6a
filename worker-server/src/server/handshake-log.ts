import type { Router } from 'zeromq';
import { DropLog, onHandshakeFailure } from '@scattergather/protocol';
import type { Logger } from '../logger.js';

/**
 * Logs (rate-limited) every peer whose ZeroMQ handshake failed: a controller
 * with another key, or with one when this server has none (or the reverse),
 * which the ZAP handler never hears of. The controller's user gets the
 * error; this is what the server's operator sees.
 */
export function logHandshakeFailures(router: Router, log: Logger): void {
  const failures = new DropLog(log, 10_000, 'refused a peer');
  onHandshakeFailure(router, (kind, why, address) => failures.drop(`its handshake failed (${kind}: another cluster key, none, or not a controller)`, { address, why }));
}
