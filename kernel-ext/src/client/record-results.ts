import { decodeValue, type ClientResultItem, type ErrorState } from '@scattergather/protocol';
import { RemoteError } from './remote-error.js';
import type { SetEntry, SetStore } from './set-store.js';

/** Decodes a batch of results into the store (a failure as a RemoteError naming where it ran); listeners hear once per set. */
export function recordResults(store: SetStore, items: readonly ClientResultItem[], serverUrl: (index: number) => string): void {
  const touched = new Set<SetEntry>();
  for (const [set, index, ok, payload, server, pid, printed] of items) {
    const origin = { server: serverUrl(server), pid, index, set };
    const output = typeof printed === 'string' ? printed : '';
    try {
      const value = ok ? decodeValue(payload) : new RemoteError(decodeValue(payload) as ErrorState, origin);
      store.record(set, index, ok, value, output, touched);
    } catch (error) {
      store.record(set, index, false, new RemoteError({ name: 'DecodeError', message: (error as Error).message }, origin), output, touched);
    }
  }
  store.settle(touched);
}
