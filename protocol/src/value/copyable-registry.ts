import { ProtocolError } from '../errors.js';

/**
 * A class whose instances cross the wire as themselves. State comes from
 * `getStateToCopy()` (default: own enumerable fields) and goes back through
 * `setCopyableState(state)` (default: assigned onto a fresh instance).
 */
export interface Copyable {
  getStateToCopy?(): unknown;
  setCopyableState?(state: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CopyableClass = abstract new (...args: any[]) => object;

const classesByName = new Map<string, CopyableClass>();
const namesByClass = new Map<CopyableClass, string>();

/** Registers `Class` under `name`; both ends of the wire must register the same name. */
export function registerCopyable(name: string, Class: CopyableClass): void {
  if (typeof name !== 'string' || name === '') throw new ProtocolError('ERR_COPYABLE_NAME', 'registerCopyable needs a non-empty name');
  if (typeof Class !== 'function') throw new ProtocolError('ERR_COPYABLE_CLASS', `registerCopyable('${name}', Class) needs a class`);
  const previous = classesByName.get(name);
  if (previous !== undefined) namesByClass.delete(previous);
  classesByName.set(name, Class);
  namesByClass.set(Class, name);
}

export function copyableNameOf(value: object): string | undefined {
  return namesByClass.get(value.constructor as CopyableClass);
}

export function stateOf(value: object): unknown {
  const copyable = value as Copyable;
  return typeof copyable.getStateToCopy === 'function' ? copyable.getStateToCopy() : { ...value };
}

export function restoreCopyable(name: string, state: unknown): object {
  const Class = classesByName.get(name);
  if (Class === undefined) {
    throw new ProtocolError('ERR_COPYABLE_UNKNOWN', `no class is registered as '${name}' here: call registerCopyable('${name}', Class) on this side too (for executors, in an installed module)`);
  }
  const instance = Object.create(Class.prototype as object) as Copyable;
  if (typeof instance.setCopyableState === 'function') instance.setCopyableState(state);
  else Object.assign(instance, state);
  return instance;
}
