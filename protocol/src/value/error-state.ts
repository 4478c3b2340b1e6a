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

/** An Error of the built-in class its name says, or a plain Error carrying that name. */
export function errorFromState(state: ErrorState): Error {
  // Own properties only: a name like 'constructor' must not find Object.prototype's.
  const Ctor = Object.hasOwn(builtinErrors, state.name) ? builtinErrors[state.name] ?? Error : Error;
  const error = new Ctor(String(state.message));
  if (error.name !== state.name) error.name = String(state.name);
  if (state.stack !== undefined) error.stack = String(state.stack);
  if (state.code !== undefined) (error as { code?: unknown }).code = state.code;
  if (state.cause !== undefined) error.cause = state.cause;
  return error;
}
