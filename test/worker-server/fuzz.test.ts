import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { encode } from '@msgpack/msgpack';
import { Dealer, Router } from 'zeromq';
import { encodeMessage, MESSAGE_SHAPES, PROTOCOL_VERSION } from '@scattergather/protocol';
import { spawnScatterGather } from '@scattergather/kernel-ext';
import { killAll, startWorker, waitUntil } from '../support/processes';
import { SeededRandom } from '../support/seeded-random';

const SEED = Number(process.env['SG_FUZZ_SEED'] ?? 20261125);
const TYPES = Object.keys(MESSAGE_SHAPES);

/**
 * One hostile message: random frames, valid MessagePack of the wrong shape, wrong versions, or oversize in
 * total (each frame under the limit: a single frame over it is refused by ZeroMQ, tested on its own below).
 */
function hostileMessage(rng: SeededRandom): Buffer[] {
  switch (rng.int(6)) {
    case 0: return Array.from({ length: 1 + rng.int(3) }, () => rng.bytes(rng.int(64)));
    case 1: return [Buffer.from(encode([PROTOCOL_VERSION, rng.pick(TYPES), rng.value()]))];
    case 2: return [Buffer.from(encode([rng.int(5), rng.pick(TYPES), {}]))];
    case 3: return [Buffer.from(encode(rng.value()))];
    case 4: return [Buffer.from(encode([PROTOCOL_VERSION, 'run', { fns: [rng.value(), { name: 'echo' }], tasks: [rng.value(), [1, 1, rng.value(), 0], [2, 9, null, 'x']] }]))];
    default: return [rng.bytes(40_000), rng.bytes(40_000)];
  }
}

describe(`fuzzing every socket with garbage (seed ${SEED}; set SG_FUZZ_SEED to replay)`, function () {
  this.timeout(60_000);
  afterEach(killAll);

  it('sg-worker survives thousands of hostile messages and raw bytes, logs them rate-limited, and keeps serving', async () => {
    const rng = new SeededRandom(SEED);
    const worker = await startWorker(1, ['--no-key', '--max-message-bytes', '65536']);
    let stderr = '';
    worker.child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const port = Number(/:(\d+)$/.exec(worker.url)?.[1]);

    await Promise.all(Array.from({ length: 100 }, (_, i) => i).map((i) => new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(i % 2 === 0 ? rng.bytes(1 + rng.int(300)) : Buffer.concat([Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0]), rng.bytes(200)])));
        // ZeroMQ may wait for the rest of a greeting that never comes: hang up ourselves, bounded.
        socket.setTimeout(300, () => socket.destroy());
        socket.on('close', () => resolve());
        socket.on('error', () => undefined);
      })));
    const dealer = new Dealer({ linger: 0 });
    dealer.connect(worker.url);
    dealer.sendTimeout = 5000;
    for (let i = 0; i < 3000; i++) await dealer.send(hostileMessage(rng));
    dealer.close();

    // A frame over --max-message-bytes is refused by ZeroMQ before it is read: its sender is disconnected.
    for (let i = 0; i < 5; i++) {
      const oversize = new Dealer({ linger: 0, sendTimeout: 5000 });
      let disconnected = false;
      oversize.events.on('disconnect', () => { disconnected = true; });
      oversize.connect(worker.url);
      await oversize.send(rng.bytes(100_000));
      await waitUntil(() => disconnected, 5000, 'ZeroMQ to end the connection that sent a frame over the limit');
      oversize.close();
    }

    const c = await spawnScatterGather([worker.url], { noKey: true });
    try {
      await c.ready({ timeoutMs: 10_000 });
      assert.deepEqual(await c.waitForResult(c.addJob([[[1]], [[2]]], { fn: 'echo' }), { timeoutMs: 10_000 }), [1, 2]);
    } finally {
      await c.close();
    }
    assert.equal(worker.child.exitCode, null, 'the server is still running');
    const dropLines = stderr.split('\n').filter((line) => line.includes('dropped a message')).length;
    assert.ok(dropLines > 0, 'drops are logged');
    assert.ok(dropLines < 40, `drops are rate-limited (${dropLines} lines for 3000 messages)`);
  });

  it('the controller survives a server that answers with garbage, and keeps using the good ones', async () => {
    const rng = new SeededRandom(SEED + 1);
    const good = await startWorker(2, ['--no-key']);
    const liar = new Router({ linger: 0 });
    await liar.bind('tcp://127.0.0.1:0');
    let running = true;
    const lie = (async () => {
      for await (const [from, head] of liar) {
        if (!running || from === undefined || head === undefined) break;
        // A valid pong, so the controller counts it ready, but with no executors; then a flood of garbage.
        await liar.send([from, ...encodeMessage({ t: 'pong', req: 0, executors: [], instance: 'liar' })]);
        for (let i = 0; i < 200; i++) await liar.send([from, ...hostileMessage(rng)]);
      }
    })().catch(() => undefined);
    const c = await spawnScatterGather([good.url, liar.lastEndpoint as string], { heartbeatMs: 200, noKey: true });
    try {
      assert.deepEqual(await c.ready({ timeoutMs: 10_000 }), { servers: 2, executors: 2 });
      const h = c.addJob(Array.from({ length: 50 }, (_, i) => [[i]]), { fn: 'echo' });
      assert.deepEqual(await c.waitForResult(h, { timeoutMs: 10_000 }), Array.from({ length: 50 }, (_, i) => i));
      await new Promise((resolve) => setTimeout(resolve, 600));
      const status = await c.status();
      assert.ok(status.controller.pid > 0, 'the controller still answers after thousands of garbage frames');
    } finally {
      running = false;
      await c.close();
      liar.close();
      await lie;
    }
  });
});
