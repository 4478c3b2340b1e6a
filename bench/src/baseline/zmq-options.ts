import type { Transport } from './peer-endpoints.js';

/**
 * Socket options for the baseline sockets in the bench process: no linger, and
 * every send and receive bounded (a timed-out one fails with EAGAIN), so a lost
 * peer fails the run instead of hanging the bench. zeromq.js refuses options a
 * socket type lacks, hence one set per direction.
 */
const BOUND_MS = 20_000;
export const SENDING = { linger: 0, sendTimeout: BOUND_MS } as const;
export const RECEIVING = { linger: 0, receiveTimeout: BOUND_MS } as const;
export const BOTH = { linger: 0, sendTimeout: BOUND_MS, receiveTimeout: BOUND_MS } as const;
/** Both, with unlimited queues, where a baseline keeps many messages in flight. */
export const BOTH_UNLIMITED = { ...BOTH, sendHighWaterMark: 0, receiveHighWaterMark: 0 } as const;

export function baselineKey(name: string, transport: Transport): string {
  return `zmq.${name}.${transport}`;
}
