import assert from 'node:assert/strict';
import { progressDisplay } from './kernel-modules';

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
