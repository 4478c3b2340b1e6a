import { ExtData } from '@msgpack/msgpack';

/**
 * A value kept on the cluster: a task's result left on the server that made it
 * (`keep: true`), or a value placed with `put`. Only its id and size travel;
 * a reference at the top level of a task's arguments is replaced by its value
 * on the server before the call.
 */
export class Ref<T = unknown> {
  /** Type only (never set): the type of the value it stands for. */
  declare readonly valueType?: T;

  constructor(
    /** `s<set>.<index>` for a kept result, `p<n>` for a put value; unique per client. */
    readonly id: string,
    /** Encoded bytes; -1 until the value exists. */
    public size: number,
  ) {}

  toString(): string {
    return `Ref(${this.id}, ${this.size < 0 ? 'pending' : `${this.size} bytes`})`;
  }

  /** How Node (and so the notebook's %gather) prints it: its id and size on one line. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A reference from its extension's fields `[id, size]`; throws a TypeError on anything else. */
export function decodeRef(fields: unknown): Ref {
  const [id, size] = Array.isArray(fields) ? fields as unknown[] : [];
  if (typeof id !== 'string' || typeof size !== 'number') throw new TypeError('malformed reference');
  return new Ref(id, size);
}

/** The id of task `index` of set `set` when its result is kept: client and controller both derive it. */
export function keptRefId(set: number, index: number): string {
  return `s${set}.${index}`;
}

/** The set a reference id names, or undefined for a put value. */
export function setOfRefId(id: string): number | undefined {
  const match = /^s(\d+)\.\d+$/.exec(id);
  return match === null ? undefined : Number(match[1]);
}

/** The references at the top level of a task `[args, kwargs?]`: each argument and each kwargs value. */
export function topLevelRefs(task: unknown): Ref[] {
  const refs: Ref[] = [];
  if (!Array.isArray(task)) return refs;
  // Runs for every task: indexed, since destructuring and for-of are several times dearer before the JIT warms up.
  const args: unknown = task[0], kwargs: unknown = task[1];
  if (Array.isArray(args)) for (let i = 0; i < args.length; i++) if (args[i] instanceof Ref) refs.push(args[i] as Ref);
  if (isKwargs(kwargs)) for (const value of Object.values(kwargs)) if (value instanceof Ref) refs.push(value);
  return refs;
}

/** Task `[args, kwargs?]` with each top-level reference replaced by `valueOf(id)`. */
export function replaceTopLevelRefs(task: unknown, valueOf: (id: string) => unknown): unknown {
  if (!Array.isArray(task)) return task;
  const [args, kwargs] = task as [unknown, unknown];
  const swap = (value: unknown): unknown => (value instanceof Ref ? valueOf(value.id) : value);
  const newArgs = Array.isArray(args) ? args.map(swap) : args;
  if (task.length < 2) return [newArgs];
  if (!isKwargs(kwargs)) return [newArgs, kwargs];
  const newKwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) newKwargs[key] = swap(value);
  return [newArgs, newKwargs];
}

/**
 * kwargs as the client, server and executor must all read them: any object but an array (it travels as a
 * MessagePack map), except an extension a worker server keeps as its bytes (see ref-only.ts), passed on as it is.
 */
function isKwargs(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof ExtData);
}
