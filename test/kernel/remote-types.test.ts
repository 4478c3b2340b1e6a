import assert from 'node:assert/strict';
import { remoteTypes } from './kernel-modules';

describe('kernel/remote-types', function () {
  this.timeout(30_000);

  it("emits a %%remote module's declarations and finds its exported functions, however they are exported", () => {
    const { dts, functions } = remoteTypes.moduleTypes([
      'export function triple(x: number) { return 3 * x; }',
      'export const shout = async (s: string) => ({ text: s.toUpperCase() });',
      'const half = (x: number) => x / 2;',
      'export { half as halve };',
      'export const answer = 42;',
      'export class Model { fit(): number { return 1; } }',
    ].join('\n'));
    assert.match(dts, /export declare function triple\(x: number\): number;/);
    assert.match(dts, /export declare const shout: \(s: string\) => Promise<\{\s*text: string;\s*\}>;/);
    assert.deepEqual([...functions].sort(), ['halve', 'shout', 'triple'], 'a class is constructed, not called; a number is no function');
  });
});
