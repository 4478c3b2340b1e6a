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
  // Indexed, not destructured: destructuring runs the iterator protocol, ~10× dearer per result before the JIT warms up.
  const id: unknown = item[0], ok: unknown = item[1], value: unknown = item[2], ms: unknown = item[3], pid: unknown = item[4], output: unknown = item[5];
  if (typeof id !== 'number' || typeof ok !== 'boolean' || !(value instanceof Payload)) return undefined;
  return {
    id, ok, value,
    ms: typeof ms === 'number' ? ms : NaN,
    pid: typeof pid === 'number' ? pid : -1,
    output: typeof output === 'string' ? output : '',
  };
}
