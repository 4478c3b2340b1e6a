/** The largest message a scattergather socket takes unless told otherwise (a 1 GiB argument still fits). */
export const DEFAULT_MAX_MESSAGE_BYTES = 2 ** 31;

/**
 * Options for a receiving socket: ZeroMQ refuses any frame over `maxBytes`
 * before it allocates it, disconnecting the peer that sent it (a connecting
 * peer comes back by itself). `runMessageLoop` then checks whole messages
 * against the same limit.
 */
export function receiveLimit(maxBytes = DEFAULT_MAX_MESSAGE_BYTES): { maxMessageSize: number } {
  return { maxMessageSize: maxBytes };
}
