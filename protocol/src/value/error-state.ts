/** The fields of an Error that cross the wire. */
export interface ErrorState {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: unknown;
}

const builtinErrors: Record<string, ErrorConstructor> = {
  Error, RangeError, TypeError, SyntaxError, ReferenceError, EvalError, URIError,
};

export function errorStateOf(error: Error): ErrorState {
  const state: ErrorState = { name: error.name, message: error.message };
  if (error.stack !== undefined) state.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) state.code = code;
  if (error.cause !== undefined) state.cause = error.cause;
  return state;
}

/**
 * An Error of the built-in class its name says (an own entry of the table only, so a name such as
 * 'constructor' or '__proto__' gets a plain Error), or a plain Error carrying that name.
 */
export function errorFromState(state: ErrorState): Error {
  const Ctor = Object.hasOwn(builtinErrors, state.name) ? builtinErrors[state.name] as ErrorConstructor : Error;
  const error = withoutLocalStack(() => new Ctor(String(state.message)));
  if (error.name !== state.name) error.name = String(state.name);
  if (state.stack !== undefined) error.stack = String(state.stack);
  if (state.code !== undefined) (error as { code?: unknown }).code = state.code;
  if (state.cause !== undefined) error.cause = state.cause;
  return error;
}

/**
 * The stack of where an error was decoded says nothing about where it was thrown, and capturing it
 * costs hundreds of bytes per error: a frame of tiny errors would cost far more than its size.
 */
function withoutLocalStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
