/** What the baseline peer process (peer.ts) binds and announces on its first stdout line. */
export interface PeerEndpoints {
  /** PULL: counts messages until an empty frame, then reports the count on `sinkAck`. */
  sink: string;
  /** PUSH: one 8-byte little-endian double (the count) per empty frame received on `sink`. */
  sinkAck: string;
  /** ROUTER: sends every message straight back. */
  echo: string;
  /** ROUTER: answers every message with 8 bytes. */
  ack: string;
  /** ROUTER: answers each message after as many ms as the 8-byte little-endian double it carries (a raw sleep task). */
  delay: string;
  /** As `ack`, behind CURVE (tcp only, when the peer was given a server key): the cost of encryption. */
  ackCurve?: string;
}

/** The environment variable that hands the peer its CURVE secret key (not argv, where `ps` shows it). */
export const CURVE_SECRET_ENV = 'SG_BENCH_CURVE_SECRET';

export type Transport = 'tcp' | 'ipc';
