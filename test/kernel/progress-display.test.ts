import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { progressDisplay } from './kernel-modules';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Listener = (p: ReturnType<typeof makeProgress>) => void;
const handle = { id: 1, fn: 'echo', size: 1000 };
function makeProgress(done: number) {
  return { handle, done, failed: 0, pending: handle.size - done, complete: done === handle.size, startedAt: 0, results: [] as unknown[] };
}

/** Just enough of a client for a progress bar: progress() and onProgress(). */
function fakeClient() {
  let done = 0;
  const listeners = new Set<Listener>();
  return {
    arrive(n: number) {
      done += n;
      for (const l of listeners) l(makeProgress(done));
    },
    listeners,
    progress: () => makeProgress(done),
    onProgress: (_h: unknown, l: Listener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** A client holding one set's live results, as the real one does, until it forgets the set. */
function clientWithResults(size: number) {
  const h = { id: 7, fn: 'echo', size };
  let results: unknown[] | undefined = Array.from({ length: size }, () => undefined);
  let done = 0;
  const listeners = new Set<(p: unknown) => void>();
  const progress = () => ({ handle: h, done, failed: 0, pending: size - done, complete: done === size, startedAt: 0, results: results ?? [] });
  return {
    h,
    listeners,
    weakResults: new WeakRef(results),
    finishAll() {
      for (; done < size; done++) (results as unknown[])[done] = { payload: new Array(1000).fill(done) };
      for (const l of listeners) l(progress());
    },
    forget() {
      results = undefined;
    },
    progress,
    onProgress: (_h: unknown, l: (p: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('kernel/progress-display', () => {
  it('throttles updates, keeps one timer, and always ends in the final state', async () => {
    const client = fakeClient();
    const sent: Array<{ update: boolean; text: string; id?: string }> = [];
    const registry = new progressDisplay.ProgressRegistry({ throttleMs: 50 });
    const bar = registry.for(client as never, handle);
    bar.show((d, update) => sent.push({ update, text: d.data['text/plain'] ?? '', id: d.transient.display_id }));
    for (let i = 0; i < 999; i++) client.arrive(1);
    assert.ok(bar.updates <= 2, `sent ${bar.updates} updates for 999 arrivals in one tick`);
    await new Promise((r) => setTimeout(r, 80));
    const afterTimer = bar.updates;
    assert.ok(afterTimer <= 3);
    client.arrive(1);
    assert.equal(bar.finished, true);
    assert.equal(client.listeners.size, 0, 'unsubscribed at completion');
    const last = sent[sent.length - 1];
    assert.ok(last?.update);
    assert.match(last.text, /100% set 1 echo: 1000\/1000 .* — complete$/);
    assert.equal(new Set(sent.map((s) => s.id)).size, 1, 'one display id');
    assert.equal(sent[0]?.update, false, 'first a display_data');
  });

  it('keeps only counts and drops a bar once its final state is out, so forgetting its set frees the results', async () => {
    const client = clientWithResults(100);
    const texts: string[] = [];
    const write = (d: { data: Record<string, string> }) => texts.push(d.data['text/plain'] ?? '');
    const registry = new progressDisplay.ProgressRegistry({ throttleMs: 0, currentWriter: () => write as never });
    const bar = registry.for(client as never, client.h);
    bar.show(write as never);
    assert.ok(registry.get(7), 'a running bar is kept');
    client.finishAll();
    assert.match(texts[texts.length - 1] ?? '', /100\/100 .* — complete$/);
    assert.equal(registry.get(7), undefined, 'a bar whose final state is out is dropped');
    client.forget();
    await tick();
    gc();
    assert.equal(client.weakResults.deref(), undefined, 'the results of a forgotten set are freed, even while its bar is held');
    assert.equal(bar.finished, true);
  });

  it('keeps a bar whose final update went out between cells until the next cell repeats it', () => {
    const client = fakeClient();
    let cell: ((d: unknown, update: boolean) => void) | undefined = () => undefined;
    const registry = new progressDisplay.ProgressRegistry({ throttleMs: 0, currentWriter: () => cell as never });
    registry.for(client as never, handle).show(cell as never);
    cell = undefined;
    client.arrive(1000);
    assert.equal(registry.get(1)?.orphaned, true, 'its last update may be lost: kept');
    const repeated: boolean[] = [];
    cell = (_d, update) => repeated.push(update);
    registry.flushOrphans();
    assert.deepEqual(repeated, [true]);
    assert.equal(registry.get(1), undefined, 'dropped once repeated');
  });

  it('ends running bars as cancelled or lost', () => {
    const client = fakeClient();
    const registry = new progressDisplay.ProgressRegistry({ throttleMs: 50 });
    const texts: string[] = [];
    registry.for(client as never, handle).show((d) => texts.push(d.data['text/plain'] ?? ''));
    registry.finishAll('lost');
    assert.match(texts[texts.length - 1] ?? '', /cluster gone$/);
    assert.equal(client.listeners.size, 0);
  });
});
