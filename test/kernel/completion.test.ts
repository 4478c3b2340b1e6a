import assert from 'node:assert/strict';
import { completion } from './kernel-modules';

const sources = { functions: () => ['histogram', 'echo', 'sleep', 'pid', 'square'], handles: () => ['2', '1', 'h'] };
const complete = (code: string, cursor = code.length) => completion.completeMagic(code, cursor, sources);

describe('kernel/completion', () => {
  it('completes magic names, cell magics only on the first line', () => {
    assert.deepEqual(complete('%sc')?.matches, ['%scatter']);
    assert.deepEqual(complete('%')?.matches, ['%cluster', '%scatter', '%gather', '%cancel', '%fetch', '%chart', '%%remote']);
    assert.deepEqual(complete('1;\n%')?.matches.includes('%%remote'), false);
    assert.deepEqual(complete('%%r')?.matches, ['%%remote']);
    const r = complete('const h = %sca');
    assert.deepEqual(r, { start: 10, end: 14, matches: ['%scatter'] });
  });

  it('completes subcommands, function names, handles and flags', () => {
    assert.deepEqual(complete('%cluster st')?.matches, ['status']);
    assert.deepEqual(complete('%scatter s')?.matches, ['sleep', 'square']);
    assert.deepEqual(complete('%gather ')?.matches, ['2', '1', 'h', '--wait', '--timeout', '--all']);
    assert.deepEqual(complete('%gather 2 --w')?.matches, ['--wait']);
    assert.deepEqual(complete('%cluster local 2 --ser')?.matches, ['--servers']);
    assert.deepEqual(complete('%%remote --n')?.matches, ['--name']);
  });

  it('offers nothing for magic names that are members of Object.prototype', () => {
    assert.equal(complete('%constructor --'), undefined);
    assert.equal(complete('%toString '), undefined);
    assert.deepEqual(complete('%%constructor --')?.matches, []);
    assert.equal(completion.magicHelp('%constructor', 3), undefined);
    assert.equal(completion.magicHelp('%%valueOf\nx', 3), undefined);
  });

  it('leaves TypeScript, including the expression of %scatter, to tslab', () => {
    assert.equal(complete('Math.fl'), undefined);
    assert.equal(complete('%scatter echo [[[Math.fl'), undefined);
  });

  it('gives help for a magic on Shift-Tab', () => {
    assert.match(completion.magicHelp('%gather', 3) ?? '', /^%gather \[HANDLE\] \[--wait\] \[--timeout S\]/);
    assert.match(completion.magicHelp('%%remote\nexport const a = 1', 2) ?? '', /resident on every executor/);
    assert.equal(completion.magicHelp('%scatter echo [[[Math.max(1, 2)]]]', 30), undefined);
    assert.equal(completion.magicHelp('Math.max', 5), undefined);
  });
});
