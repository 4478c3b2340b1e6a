import assert from 'node:assert/strict';
import { remoteModuleName as names } from './kernel-modules';

const { remoteModuleName } = names;

describe('kernel/%%remote module names', () => {
  it('names a cell by its sorted export names, whatever their order or bodies', () => {
    const a = remoteModuleName('export function square(x: number) { return x * x; }\nexport const k = 1;\nexport class Vec {}');
    const b = remoteModuleName('export class Vec { x = 1 }\nexport const k = 2;\nexport function square(x: number) { return x; }');
    assert.equal(a, 'remote:Vec,k,square');
    assert.equal(a, b, 'the same cell, edited, keeps its name');
  });

  it('counts export lists and default exports, not what is only declared', () => {
    assert.equal(remoteModuleName('const a = 1; function b() {}\nexport { a, b as c };\nexport default 3;'), 'remote:a,c,default');
  });

  it('names a cell without exports by its source', () => {
    const one = remoteModuleName('globalThis.x = 1;');
    assert.match(one, /^remote:[0-9a-f]{16}$/);
    assert.equal(remoteModuleName('globalThis.x = 1;'), one);
    assert.notEqual(remoteModuleName('globalThis.x = 2;'), one);
  });
});
