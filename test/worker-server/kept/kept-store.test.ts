import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Payload } from '@scattergather/protocol';
import { KeptStore } from '@scattergather/worker-server';

const payloadOf = (bytes: number, fill: number): Payload => new Payload(new Uint8Array([fill]), [new Uint8Array(bytes).fill(fill)]);
const waitFor = async (condition: () => boolean): Promise<void> => {
  const until = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('not in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('worker-server/kept/kept-store', () => {
  it('tells which keys went when values are released or dropped with their owner, and nothing for an unknown ref', () => {
    const dropped: string[][] = [];
    const store = new KeptStore({ memoryBytes: 10_000, diskBytes: 0 }, () => undefined, (keys) => dropped.push(keys));
    try {
      for (const [owner, ref] of [['a', 'r1'], ['a', 'r2'], ['b', 'r1']] as const) store.put(owner, ref, payloadOf(10, 1));
      store.release('a', 'r1');
      store.release('a', 'nothing');
      store.dropOwner('a');
      store.dropOwner('nobody');
      assert.deepEqual(dropped, [['a/r1'], ['a/r2']]);
      assert.ok(store.has('b', 'r1'));
    } finally {
      store.close();
    }
  });

  it('spills the oldest values past its memory budget to a private directory and reads them back whole', async () => {
    const errors: Error[] = [];
    const store = new KeptStore({ memoryBytes: 2500, diskBytes: 10_000 }, (error) => errors.push(error));
    try {
      for (let i = 0; i < 3; i++) assert.equal(store.put('owner', `r${i}`, payloadOf(1000, i)), 1001);
      await waitFor(() => store.bytes.disk > 0);
      assert.deepEqual(store.bytes, { memory: 2002, disk: 1001 });
      const back = await store.get('owner', 'r0');
      assert.deepEqual([...(back?.body ?? [])], [0]);
      assert.equal(back?.blobs[0]?.byteLength, 1000);
      assert.ok(back?.blobs[0]?.every((b) => b === 0));
      const spilled = (store as unknown as { spillDir: { dir: string } }).spillDir.dir;
      assert.equal(statSync(spilled).mode & 0o777, 0o700, `${spilled} is private`);
      assert.deepEqual(errors, []);
    } finally {
      store.close();
    }
  });

  it('a spilled value whose file cannot be read back is not held: undefined and an error reported, never a rejection', async () => {
    const errors: Error[] = [];
    const store = new KeptStore({ memoryBytes: 2500, diskBytes: 10_000 }, (error) => errors.push(error));
    try {
      for (let i = 0; i < 3; i++) store.put('owner', `r${i}`, payloadOf(1000, i));
      await waitFor(() => store.bytes.disk > 0);
      const spilled = (store as unknown as { spillDir: { dir: string } }).spillDir.dir;
      for (const file of readdirSync(spilled)) rmSync(join(spilled, file));
      assert.equal(await store.get('owner', 'r0'), undefined);
      assert.equal(errors.length, 1);
      assert.match(String(errors[0]?.message), /ENOENT/);
    } finally {
      store.close();
    }
  });

  it('refuses a value past both budgets with an error that says what to do, keeping what it had', async () => {
    const store = new KeptStore({ memoryBytes: 1000, diskBytes: 0 }, () => undefined);
    try {
      store.put('owner', 'small', payloadOf(500, 1));
      assert.throws(() => store.put('owner', 'big', payloadOf(600, 2)), /release\(\) kept values you no longer need, or start sg-worker with a larger --keep-bytes/);
      assert.ok(store.has('owner', 'small'));
      assert.equal(store.has('owner', 'big'), false);
    } finally {
      store.close();
    }
  });

  it('keeps each controller\'s values apart and forgets them on release or when it leaves', () => {
    const store = new KeptStore({ memoryBytes: 10_000, diskBytes: 0 }, () => undefined);
    store.put('a', 'r', payloadOf(10, 1));
    store.put('b', 'r', payloadOf(10, 2));
    store.release('a', 'r');
    assert.equal(store.has('a', 'r'), false);
    assert.ok(store.has('b', 'r'));
    store.dropOwner('b');
    assert.deepEqual(store.bytes, { memory: 0, disk: 0 });
  });
});
