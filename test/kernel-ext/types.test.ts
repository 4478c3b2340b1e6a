/**
 * The client's types, as a user's TypeScript sees them: snippets compiled with
 * the project's compiler against @scattergather/kernel-ext's published types.
 * A `@ts-expect-error` that is not needed is an error too, so each wrong use
 * below is proven to be refused.
 */
import assert from 'node:assert/strict';
import { typeErrors } from '../support/type-check';

const HEAD = `
import { MapError, RemoteError, remoteFunction, type Histogram, type ScatterGather, type ScatterSet, type SetHandle } from '@scattergather/kernel-ext';
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare const sg: ScatterGather;
`;

function assertCompiles(body: string): void {
  assert.deepEqual(typeErrors(`${HEAD}export async function main(): Promise<void> {\n${body}\n}\n`), []);
}

describe('kernel-ext types', function () {
  this.timeout(60_000);

  it('reports what does not compile, including a @ts-expect-error that nothing needs (the check itself)', () => {
    const errors = typeErrors(`${HEAD}export const n: number = sg.addJob([[[1]]], { fn: 'pid' }).id;\n// @ts-expect-error\nexport const fine = 1;\n`);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0] ?? '', /^line 5: Type 'number' is not assignable to type 'never'/);
    assert.match(errors[1] ?? '', /^line 6: Unused '@ts-expect-error' directive/);
  });

  it('takes the scatter set as the seed writes it, and types its results by the built-in', () => {
    assertCompiles(`
  const inList = Array.from({ length: 40 }, () => [[1000], { distribution: 'normal', loc: 1, scale: 1, bins: 10 }]);
  const h = sg.addJob(inList, { fn: 'histogram' });
  const handle: Equals<typeof h, SetHandle<Histogram>> = true;
  const rs = await sg.waitForResult(h);
  const results: Equals<typeof rs, Array<Histogram | RemoteError>> = true;
  const inline = sg.addJob([[[1000, { distribution: 'uniform', bins: 5 }]], [[10]]], { fn: 'histogram' });
  const sleeps = sg.addJob([[[100]]], { fn: 'sleep' });
  const slept: Equals<Awaited<ReturnType<typeof sg.waitForResult<number>>>, Array<number | RemoteError>> = true;
  const declared: ScatterSet = [[[1]], [[2], { why: 'declared sets are taken as they are' }]];
  sg.addJob(declared, { fn: 'sleep' });
  sg.addJob(Array.from({ length: 3 }, () => [[200]] as [unknown[]]), { fn: 'sleep' });
  const typedTuples: Array<[number[]]> = [[[1]]];
  sg.addJob(typedTuples, { fn: 'sleep' });
  const byName = sg.addJob([[[1], { any: true }]], { fn: 'installedByName' });
  const untyped: Equals<typeof byName, SetHandle<unknown>> = true;
  void [handle, results, inline, sleeps, slept, untyped];`);
  });

  it("types a function value's results through waitForResult, results(), poll(), progress() and map", () => {
    assertCompiles(`
  const doubled = sg.addJob([[[1]], [[2]]], { fn: (x: number) => x * 2 });
  const all: Array<number | RemoteError> = await sg.waitForResult(doubled);
  for await (const r of sg.results(doubled)) {
    if (r.ok) { const n: number = r.value; void n; } else { const e: RemoteError = r.value; void e.index; }
  }
  const polled: Equals<ReturnType<typeof sg.poll<number>>['results'][number]['value'], number | RemoteError> = true;
  const first = sg.progress(doubled).results[0];
  const progress: Equals<typeof first, number | RemoteError | undefined> = true;
  const tripled: number[] = await sg.map((x: number) => 3 * x, [1, 2]);
  const upper: string[] = await sg.map(async (s: string) => s.toUpperCase(), ['a'], { timeoutMs: 1000, retries: 0 });
  const hs: Histogram[] = await sg.map('histogram', [1000, 2000]);
  const fit = remoteFunction<(x: number) => Promise<{ score: number }>>('fit');
  const scores: Array<{ score: number }> = await sg.map(fit, [1, 2]);
  try {
    await sg.map(fit, [3]);
  } catch (e) {
    if (e instanceof MapError) { const errors: RemoteError[] = e.errors; const arrived: unknown[] = e.results; void [errors, arrived]; }
  }
  void [all, polled, progress, tripled, upper, hs, scores];`);
  });

  it('refuses tasks, items and result types that do not fit the function', () => {
    assertCompiles(`
  // @ts-expect-error a string where the function takes a number
  sg.addJob([[['a']]], { fn: (x: number) => x * 2 });
  // @ts-expect-error a task is [args, kwargs?], not a bare value
  sg.addJob([1, 2], { fn: (x: number) => x * 2 });
  // @ts-expect-error histogram's bins is a number
  sg.addJob([[[1000], { bins: 'ten' }]], { fn: 'histogram' });
  // @ts-expect-error sleep takes a number of ms
  sg.addJob([[['soon']]], { fn: 'sleep' });
  const strings = Array.from({ length: 3 }, () => [['x'], { bins: 10 }]);
  // @ts-expect-error an inferred set is checked element by element
  sg.addJob(strings, { fn: 'histogram' });
  const stringTuples: Array<[string[]]> = [[['x']]];
  // @ts-expect-error tuples declared with arguments of the wrong type
  sg.addJob(stringTuples, { fn: 'sleep' });
  // @ts-expect-error map's items are the function's first argument
  await sg.map((x: number) => x, ['a']);
  // @ts-expect-error histograms are not strings
  const wrong: string[] = await sg.map('histogram', [10]);
  const h = sg.addJob([[[1]]], { fn: (x: number) => String(x) });
  // @ts-expect-error a string set's results are strings (or RemoteErrors)
  const numbers: number[] = await sg.waitForResult(h);
  void [wrong, numbers];`);
  });
});
