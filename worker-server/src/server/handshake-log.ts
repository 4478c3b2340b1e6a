import type { Router } from 'zeromq';
import { DropLog } from '@scattergather/protocol';
import type { Logger } from '../logger.js';

/**
 * Logs (rate-limited) every peer whose ZeroMQ handshake failed: a controller
 * with another key, or with one when this server has none (or the reverse),
 * which the ZAP handler never hears of. The controller's user gets the
 * error; this is what the server's operator sees.
 */
export function logHandshakeFailures(router: Router, log: Logger): void {
  const failures = new DropLog(log, 10_000, 'refused a peer');
  for (const type of ['handshake:error:auth', 'handshake:error:protocol', 'handshake:error:other'] as const) {
    router.events.on(type, (event) => failures.drop(`its handshake failed (${type.slice('handshake:error:'.length)}: another cluster key, none, or not a controller)`, { address: event.address, why: event.error.message }));
  }
}
