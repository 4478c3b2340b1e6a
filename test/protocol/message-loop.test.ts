import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dealer, Router } from 'zeromq';
import { encodeMessage, runMessageLoop, type Message, type WireLog } from '@scattergather/protocol';

const ipcDir = mkdtempSync(join(tmpdir(), 'sg-test-'));
after(() => rmSync(ipcDir, { recursive: true, force: true }));

/** Each socket suite runs once per transport, from one definition. */
const transports: Array<[string, () => string]> = [
  ['tcp', () => 'tcp://127.0.0.1:*'],
  ['ipc', () => `ipc://${join(ipcDir, `${Math.random().toString(36).slice(2)}.sock`)}`],
  ['inproc', () => `inproc://sg-test-${Math.random().toString(36).slice(2)}`],
];

for (const [transport, address] of transports) {
  describe(`protocol/message-loop over ${transport}`, () => {
    let router: Router;
    let dealer: Dealer;
    let warnings: string[];
    const log: WireLog = { warn: (_details, message) => warnings.push(message), debug: () => undefined };

    beforeEach(async () => {
      warnings = [];
      router = new Router({ linger: 0 });
      await router.bind(address());
      dealer = new Dealer({ linger: 0, routingId: 'peer-1' });
      dealer.connect(router.lastEndpoint as string);
    });

    afterEach(() => {
      router.close();
      dealer.close();
    });

    it('hands each message to its handler with the sender\'s routing id, and survives garbage between them', async () => {
      const seen: Array<[number, string]> = [];
      let handlerThrows = true;
      const loop = runMessageLoop(router, {
        ping: ({ req }, from) => {
          seen.push([req, String(from)]);
          if (handlerThrows) {
            handlerThrows = false;
            throw new Error('a handler bug');
          }
        },
      }, { routed: true, log, maxBytes: 1024 });
      const send = (message: Message): Promise<void> => dealer.send(encodeMessage(message));
      await send({ t: 'ping', req: 1 });
      for (const junk of [[Buffer.from('garbage')], [Buffer.alloc(0)], [Buffer.from([0x93, 0x01]), Buffer.from('x')], [Buffer.alloc(4096)]]) await dealer.send(junk);
      await send({ t: 'pong', req: 9, executors: [], instance: 'x' });
      await send({ t: 'ping', req: 2 });
      const deadline = Date.now() + 5000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(seen, [[1, 'peer-1'], [2, 'peer-1']]);
      assert.ok(warnings.some((w) => /handler failed/.test(w)), 'the throwing handler is logged');
      assert.ok(warnings.some((w) => /ERR_MALFORMED/.test(w)), 'garbage is logged');
      assert.ok(warnings.some((w) => /size limit/.test(w)), 'an oversized message is logged');
      assert.ok(warnings.some((w) => /no handler/.test(w)), 'a message type this side does not take is logged');
      router.close();
      await loop;
    });
  });
}
