/** Shared by every payload without blobs (nearly all): one empty array per task was a million on a big set. */
const NO_BLOBS: readonly Uint8Array[] = Object.freeze([]);

/**
 * An encoded value: a MessagePack body plus the large binary blobs it refers to.
 * Blobs travel as ZeroMQ frames of their own, so a big typed array is never copied
 * into the body; processes that only route a value pass a Payload on unread.
 */
export class Payload {
  constructor(
    readonly body: Uint8Array,
    readonly blobs: readonly Uint8Array[] = NO_BLOBS,
  ) {}
}
