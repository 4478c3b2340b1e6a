import type { Dealer } from 'zeromq';

/**
 * Sends `message` `count` times back to back while a concurrent reader takes
 * `count` replies: the one pending send and one pending receive zeromq.js
 * allows per socket, both kept busy. Resolves when the last reply is in.
 */
export async function pipeline(dealer: Dealer, message: Buffer, count: number): Promise<void> {
  const reading = (async () => {
    for (let i = 0; i < count; i++) await dealer.receive();
  })();
  try {
    for (let i = 0; i < count; i++) await dealer.send(message);
  } catch (error) {
    await reading.catch(() => undefined);
    throw error;
  }
  await reading;
}
