import { Payload } from '@scattergather/protocol';

/** One item of a `done` message, checked: a server's bug or garbage in one item must not cost the others their delivery. */
export interface CheckedResult {
  id: number;
  ok: boolean;
  value: Payload;
  ms: number;
  pid: number;
  output: string;
}

/** The item's fields, or undefined when it is not a result at all (such an item is skipped; reconciliation runs its task again). */
export function readResultItem(item: unknown): CheckedResult | undefined {
  if (!Array.isArray(item)) return undefined;
  const [id, ok, value, ms, pid, output] = item as unknown[];
  if (typeof id !== 'number' || typeof ok !== 'boolean' || !(value instanceof Payload)) return undefined;
  return {
    id, ok, value,
    ms: typeof ms === 'number' ? ms : NaN,
    pid: typeof pid === 'number' ? pid : -1,
    output: typeof output === 'string' ? output : '',
  };
}
