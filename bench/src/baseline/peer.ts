/**
 * The far end of the raw ZeroMQ baselines: a separate Node process, so every
 * baseline crosses a process boundary as our own messages do. It binds, on one
 * transport, five sockets and prints their endpoints as one JSON line:
 *
 *  - `sink` (PULL) counts messages until an empty frame, then sends the count
 *    on `sinkAck` (PUSH): PUSH→PULL throughput.
 *  - `echo` (ROUTER) sends every message straight back: round trips and the
 *    echo pipeline.
 *  - `ack` (ROUTER) answers every message with 8 bytes: bulk transfer, where
 *    only the request is large (as with our tasks' arguments).
 *  - `delay` (ROUTER) answers each message after as many ms as the 8-byte
 *    double it carries: a sleep task with nothing but ZeroMQ and a timer.
 *  - `ackCurve` (ROUTER, tcp only, when CURVE_SECRET_ENV holds a secret key):
 *    as `ack`, behind CURVE, as a local cluster's controller↔server hop is.
 *
 * It exits when its stdin closes (the bench died or is done) or on SIGTERM.
 *
 * Usage: node peer.js tcp|ipc
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pull, Push, Router, type Socket } from 'zeromq';
import { CURVE_SECRET_ENV, type PeerEndpoints } from './peer-endpoints.js';

const transport = process.argv[2];
if (transport !== 'tcp' && transport !== 'ipc') {
  console.error('usage: peer.js tcp|ipc');
  process.exit(2);
}

const ipcDir = transport === 'ipc' ? mkdtempSync(join(tmpdir(), 'sg-bench-')) : undefined;
const sockets: Socket[] = [];

function address(name: string): string {
  return ipcDir === undefined ? 'tcp://127.0.0.1:0' : `ipc://${join(ipcDir, name)}`;
}

function shutdown(code: number): never {
  for (const socket of sockets) if (!socket.closed) socket.close();
  if (ipcDir !== undefined) rmSync(ipcDir, { recursive: true, force: true });
  process.exit(code);
}

async function bound<S extends Socket & { bind(a: string): Promise<void>; readonly lastEndpoint: string | null }>(socket: S, name: string): Promise<S> {
  sockets.push(socket);
  await socket.bind(address(name));
  return socket;
}

/** Reads until the socket closes; a closed socket ends the loop quietly. */
async function serve(what: string, loop: () => Promise<void>): Promise<void> {
  try {
    await loop();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EAGAIN' && code !== 'ETERM') {
      console.error(`peer ${what}: ${(error as Error).message}`);
      shutdown(1);
    }
  }
}

async function main(): Promise<void> {
  // Unlimited high-water marks: a ROUTER drops what it cannot queue, and a baseline must not lose messages.
  const sink = await bound(new Pull({ linger: 0, receiveHighWaterMark: 0 }), 'sink');
  const sinkAck = await bound(new Push({ linger: 0 }), 'sink-ack');
  const echo = await bound(new Router({ linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0 }), 'echo');
  const ack = await bound(new Router({ linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0 }), 'ack');
  const delay = await bound(new Router({ linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0 }), 'delay');

  void serve('sink', async () => {
    let count = 0;
    for await (const [frame] of sink) {
      if (frame !== undefined && frame.byteLength > 0) {
        count += 1;
        continue;
      }
      const reply = Buffer.alloc(8);
      reply.writeDoubleLE(count);
      count = 0;
      await sinkAck.send(reply);
    }
  });
  void serve('echo', async () => {
    for await (const frames of echo) await echo.send(frames);
  });
  const acknowledge = async (router: Router): Promise<void> => {
    const reply = Buffer.alloc(8);
    for await (const [id] of router) await router.send([id as Buffer, reply]);
  };
  void serve('ack', () => acknowledge(ack));
  void serve('delay', async () => {
    // One sender at a time: zeromq.js allows one pending send per socket.
    let sending = Promise.resolve();
    for await (const [id, body] of delay) {
      const ms = body === undefined || body.byteLength < 8 ? 0 : body.readDoubleLE(0);
      setTimeout(() => { sending = sending.then(() => delay.send([id as Buffer, body as Buffer])).catch(() => undefined); }, ms);
    }
  });
  const curveSecretKey = process.env[CURVE_SECRET_ENV];
  let ackCurve: Router | undefined;
  if (transport === 'tcp' && curveSecretKey !== undefined && curveSecretKey !== '') {
    // No ZAP handler: any client that knows the server's public key gets in, which is all a baseline needs.
    ackCurve = await bound(new Router({ linger: 0, sendHighWaterMark: 0, receiveHighWaterMark: 0, curveServer: true, curveSecretKey }), 'ack-curve');
    const router = ackCurve;
    void serve('ackCurve', () => acknowledge(router));
  }

  const endpoints: PeerEndpoints = {
    sink: sink.lastEndpoint as string,
    sinkAck: sinkAck.lastEndpoint as string,
    echo: echo.lastEndpoint as string,
    ack: ack.lastEndpoint as string,
    delay: delay.lastEndpoint as string,
  };
  if (ackCurve !== undefined) endpoints.ackCurve = ackCurve.lastEndpoint as string;
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
}

process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
main().catch((error: unknown) => {
  console.error(`peer: ${(error as Error).message}`);
  shutdown(1);
});
