import { errorStateOf, type ErrorState } from '@scattergather/protocol';

/**
 * The ErrorState of anything task code threw, read without trusting it: a
 * Proxy, a getter, a `toString` or a `Symbol.toStringTag` may throw, and
 * `Object.create(null)` has no `toString` at all. Never throws.
 */
export function describeThrown(value: unknown): ErrorState {
  let isError = false;
  try {
    isError = value instanceof Error;
    if (isError) {
      const state = errorStateOf(value as Error);
      return { ...state, name: textOf(state.name), message: textOf(state.message), ...(state.stack === undefined ? {} : { stack: textOf(state.stack) }) };
    }
  } catch {
    // an Error with a field that throws when read (its stack, its cause…): its name and message, as far as they can be read
  }
  if (isError) return { name: readText(value, 'name') ?? 'Error', message: readText(value, 'message') ?? 'an Error whose message cannot be read' };
  return { name: 'Error', message: `a non-Error was thrown: ${textOf(value)}` };
}

/** `value[key]` as text, or undefined when reading it throws. */
function readText(value: unknown, key: 'name' | 'message'): string | undefined {
  try {
    return textOf((value as Record<string, unknown>)[key]);
  } catch {
    return undefined;
  }
}

/** The minimal form, for when the full state (its `code`, its `cause`) cannot be encoded. */
export function plainErrorState({ name, message, stack }: ErrorState): ErrorState {
  return stack === undefined ? { name, message } : { name, message, stack };
}

/** A string for any value, whatever it does when converted. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return typeof value === 'symbol' ? value.toString() : String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[a value that cannot be printed]';
    }
  }
}
