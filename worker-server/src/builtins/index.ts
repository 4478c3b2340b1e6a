import type { BuiltinFunction } from '@scattergather/protocol';
import { histogram } from './histogram.js';

/** The functions every executor has before anything is installed (their names are part of the protocol). */
export const builtins: Readonly<Record<BuiltinFunction, (...args: never[]) => unknown>> & Readonly<Record<string, unknown>> = {
  histogram,
  echo: (x: unknown) => x,
  sleep: (ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms)),
  pid: () => process.pid,
};
