/**
 * The types that let a set's results carry its function's return type: the
 * built-ins by name, tasks checked against the function's parameters, and sets
 * as TypeScript infers them when written naturally (arrays of unions).
 */
import type { Ref } from '@scattergather/protocol';
import type { RemoteError } from './remote-error.js';

/** One call of the remote function: `fn(...args)`, or `fn(...args, kwargs)` when kwargs are given. */
export type Task = [args: unknown[], kwargs?: Record<string, unknown>];
/** A list of calls of one function, queued together and tracked by one handle. */
export type ScatterSet = Task[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => unknown;

/** What `histogram` returns: `bins` counts summing to `size`, and the `bins + 1` edges. */
export interface Histogram {
  counts: number[];
  edges: number[];
}

export interface HistogramOptions {
  /** 'normal' (default), 'uniform', 'lognormal' or 'semicircle'; another name fails on the executor. */
  distribution?: 'normal' | 'uniform' | 'lognormal' | 'semicircle' | (string & {});
  loc?: number;
  scale?: number;
  bins?: number;
}

/** The functions every executor has, by name. */
export interface BuiltinFunctions {
  /** Draws `size` samples and counts them into `bins` bins. */
  histogram(size: number, options?: HistogramOptions): Histogram;
  /** Returns `x`. */
  echo<T>(x: T): T;
  /** Resolves after `ms` with `ms`. */
  sleep(ms: number): Promise<number>;
  /** The executor's process id. */
  pid(): number;
}
export type BuiltinName = keyof BuiltinFunctions;

/** A remote function: a built-in or installed name, or a function value sent as source. */
export type RemoteFunction = AnyFunction | BuiltinName | (string & {});

/** The function a name or value stands for; an installed name is known only at run time. */
export type FunctionOf<F> = F extends BuiltinName ? BuiltinFunctions[F] : F extends AnyFunction ? F : (...args: unknown[]) => unknown;

/** What one task of `F` resolves to on success. */
export type ResultOf<F> = Awaited<ReturnType<FunctionOf<F>>>;

/** What `map(fn, items)` takes as each item: the function's first argument. */
export type ItemOf<F> = Parameters<FunctionOf<F>>[0];

/** A result in its set's place: the value, or the RemoteError the task ended with. */
export type Result<T> = T | RemoteError;

type ArgOf<F extends AnyFunction> = Parameters<F>[number];
type KwargsOf<F extends AnyFunction> = unknown extends ArgOf<F> ? object : Extract<ArgOf<F>, object>;

/**
 * One task of `F`: `[args]` or `[args, kwargs]`. Written inline it is checked as
 * the parameter tuple; a set built elsewhere (TypeScript infers an array of
 * unions) is checked element by element against the parameters' types.
 */
export type TaskFor<F> = readonly [args: WithRefs<Parameters<FunctionOf<F>>>] | ReadonlyArray<ReadonlyArray<ArgOrRef<ArgOf<FunctionOf<F>>>> | KwargsOf<FunctionOf<F>>>;

/** An argument or a reference to one; nothing for a function without parameters. */
type ArgOrRef<A> = [A] extends [never] ? never : A | Ref<A>;

/** Arguments where each may also be a reference to a value of its type (replaced by the value before the call). */
type WithRefs<P> = { [K in keyof P]: P[K] | Ref<P[K]> };

/** A scatter set for `F`. */
export type SetFor<F> = ReadonlyArray<TaskFor<F>>;

/** The declared type of a set's arguments when its tasks are typed as tuples (`[args, kwargs?]`, e.g. `Task`), else never. */
type DeclaredArgs<S> = S extends ReadonlyArray<infer T> ? (T extends readonly [infer A, ...unknown[]] ? A : never) : never;

/**
 * What `addJob` accepts for a set of type `S`: a set whose arguments are
 * declared `unknown[]` (a `ScatterSet`, or `[unknown[]]` tasks) as it is, any
 * other set checked against `F`.
 */
export type CheckedSet<S, F> = unknown[] extends DeclaredArgs<S> ? unknown : SetFor<F>;

declare const resultType: unique symbol;

/** What `addJob` returns; every method that takes a handle also takes its `id`. `T` is one task's result type. */
export interface SetHandle<T = unknown> {
  readonly id: number;
  /** The function's name (or `<function>` for an anonymous function sent by value). */
  readonly fn: string;
  readonly size: number;
  /** Type only (never set): the result type that flows to waitForResult, results and progress. */
  readonly [resultType]?: T;
}

/** The handle of a set queued with `keep: true`: each result is a reference to a value left on the server that made it. */
export interface KeptSetHandle<T = unknown> extends SetHandle<Ref<T>> {
  readonly keep: true;
  /** One reference per task, in input order, usable at once (as a later task's argument) even before the task has run. */
  refs(): Array<Ref<T>>;
}

/** What `addJob` returns: a kept set's handle when `keep` is true. */
export type HandleFor<K extends boolean, T> = K extends true ? KeptSetHandle<T> : SetHandle<T>;

/** A set handle, or a set id (whose results are then `unknown`). */
export type HandleLike<T = unknown> = SetHandle<T> | number;
