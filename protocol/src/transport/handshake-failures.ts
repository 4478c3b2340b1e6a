import type { Socket } from 'zeromq';

const FAILURES = ['handshake:error:auth', 'handshake:error:protocol', 'handshake:error:other'] as const;

/**
 * Calls `listener` for every ZeroMQ handshake on `socket` that fails: its kind
 * (auth, protocol or other), ZeroMQ's reason, and the peer's address. Both
 * ends use it: a controller to tell its client a server refused it, a worker
 * server to log the peers it refused.
 */
export function onHandshakeFailure(socket: Socket, listener: (kind: string, reason: string, address: string) => void): void {
  for (const type of FAILURES) socket.events.on(type, (event) => listener(type.slice('handshake:error:'.length), event.error.message, event.address));
}
