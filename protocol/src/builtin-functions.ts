/** The functions the contract promises on every executor, before anything is installed. */
export const BUILTIN_FUNCTIONS = Object.freeze(['histogram', 'echo', 'sleep', 'pid'] as const);
export type BuiltinFunction = (typeof BUILTIN_FUNCTIONS)[number];
