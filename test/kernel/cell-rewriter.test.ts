import assert from 'node:assert/strict';
import { errors, rewriter } from './kernel-modules';

const env = { isLocalFunction: (n: string) => n === 'triple' };

function rewrite(code: string) {
  const r = rewriter.tryRewriteCell(code, env);
  if (r instanceof errors.KernelError) throw r;
  return r;
}

function failure(code: string) {
  const r = rewriter.tryRewriteCell(code, env);
  assert.ok(r instanceof errors.KernelError, `expected an error for ${code}`);
  return r;
}

describe('kernel/cell-rewriter', () => {
  it('leaves cells without magics untouched', () => {
    const code = 'const a = 5 % 2;\na';
    assert.equal(rewrite(code).code, code);
  });

  it('turns each magic into an awaited call on the same line, showing only the last', () => {
    const r = rewrite('%cluster local 2\nconst h = %scatter histogram [[[10, { bins: 5 }]]]\n%gather h --wait');
    const lines = r.code.split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'void (await sgKernel.cluster({"action":"local","options":{},"procs":2}, { show: false }));');
    assert.equal(lines[1], 'const h = await sgKernel.scatter("histogram", [[[10, { bins: 5 }]]], {}, { show: false });');
    assert.equal(lines[2], 'void (await sgKernel.gather(h, {}, { show: true }));');
  });

  it('passes a function variable by value and a name as a string', () => {
    assert.match(rewrite('%scatter triple [[[1]]]').code, /sgKernel\.scatter\(triple, /);
    assert.match(rewrite('%scatter square [[[1]]]').code, /sgKernel\.scatter\("square", /);
    assert.match(rewrite('const half = (x: number) => x / 2;\n%scatter half [[[1]]]').code, /sgKernel\.scatter\(half, /);
    assert.match(rewrite('const halfway = 1;\n%scatter half [[[1]]]').code, /sgKernel\.scatter\("half", /);
  });

  it('reads flags: --timeout in seconds, --wait, set ids', () => {
    assert.match(rewrite('%scatter sleep --timeout 1.5 --retries 0 [[[5]]]').code, /\{"timeoutMs":1500,"retries":0\}/);
    assert.match(rewrite('%gather 3').code, /sgKernel\.peek\(3, \{\}, \{ show: true \}\)/);
    assert.match(rewrite('%gather 3 --all').code, /sgKernel\.peek\(3, \{"all":true\}, \{ show: true \}\)/);
    assert.match(rewrite('%gather --wait --all').code, /sgKernel\.gather\(undefined, \{"all":true\}, \{ show: true \}\)/);
    assert.match(rewrite('%gather --timeout 2').code, /sgKernel\.gather\(undefined, \{"timeoutMs":2000\}/);
    assert.match(rewrite('%cancel #4').code, /sgKernel\.cancel\(4, /);
    assert.match(rewrite('%cluster connect tcp://10.0.0.2:5555*4 tcp://h:1 --key-file k').code, /"servers":\[\{"url":"tcp:\/\/10.0.0.2:5555","workers":4\},\{"url":"tcp:\/\/h:1"\}\],"options":\{"keyFile":"k"\}/);
 
    assert.match(rewrite('%cluster dashboard --inline').code, /sgKernel\.cluster\(\{"action":"dashboard","inline":true\}/);
    assert.match(rewrite('%cluster dashboard').code, /sgKernel\.cluster\(\{"action":"dashboard","inline":false\}/);
  });

  it('refuses a value given to a boolean flag, and an empty value', () => {
    for (const code of ['%gather --wait=false', '%gather 1 --all=yes', '%scatter echo --keep=0 [[[1]]]', '%cluster local --no-key=true']) {
      const e = failure(code);
      assert.equal(e.code, 'BAD_ARGUMENTS', code);
      assert.match(e.message, /--[\w-]+ takes no value, not '/, code);
    }
    for (const code of ['%gather --timeout=', '%gather --timeout ""', '%scatter echo --retries= [[[1]]]', '%chart --title= h', '%gather --timeout']) {
      const e = failure(code);
      assert.equal(e.code, 'BAD_ARGUMENTS', code);
      assert.match(e.message, /--\w+ needs a value$/, code);
    }
    assert.match(rewrite('%gather --timeout=0.5').code, /\{"timeoutMs":500\}/);
  });

  it('takes %chart --bins only as a whole number from 1 to 10000', () => {
    assert.match(rewrite('%chart --bins 20 h').code, /sgKernel\.chart\(h, \{"bins":20\}/);
    for (const bins of ['1e8', '0', '2.5', '10001']) {
      const e = failure(`%chart --bins ${bins} h`);
      assert.equal(e.code, 'BAD_ARGUMENTS');
      assert.match(e.message, /--bins wants a whole number from 1 to 10000, not /);
    }
  });

  it('drops a // comment after a magic, not one inside a string or a URL', () => {
    assert.equal(rewrite('%scatter echo [[[1]]] // note').code, 'void (await sgKernel.scatter("echo", [[[1]]], {}, { show: true }));');
    assert.equal(rewrite('%gather 1 --wait // why').code, 'void (await sgKernel.gather(1, {}, { show: true }));');
    assert.match(rewrite('%cluster connect tcp://h:1 // the big one').code, /"servers":\[\{"url":"tcp:\/\/h:1"\}\],"options":\{\}/);
    assert.match(rewrite('%chart --title "a // b" h // c').code, /sgKernel\.chart\(h, \{"title":"a \/\/ b"\}, \{ show: true \}\)\);$/);
    assert.match(rewrite(`%scatter echo [[['x // y']]]//z`).code, /sgKernel\.scatter\("echo", \[\[\['x \/\/ y'\]\]\], \{\}, \{ show: true \}\)\);$/);
    const multi = rewrite('%scatter echo [\n  [[1]], // one\n] // all\n%gather --wait').code.split('\n');
    assert.deepEqual(multi, ['void (await sgKernel.scatter("echo", [', '  [[1]], ', '], {}, { show: false }));', 'void (await sgKernel.gather(undefined, {}, { show: true }));']);
    assert.match(rewrite('%%remote --name geo // shapes\nexport const a = 1').code, /\{"name":"geo"\}/);
  });

  it('leaves %-lines inside a multi-line template literal or block comment as they are', () => {
    const code = 'const s = `\n%d items\n%gather 1\n`;\n/*\n%gather 2\n*/\ns';
    assert.equal(rewrite(code).code, code);
    assert.equal(rewrite(code + '\n%gather 3').code, code + '\nvoid (await sgKernel.peek(3, {}, { show: true }));');
  });

  it('keeps the lines of a %%remote cell and its source verbatim', () => {
    const r = rewrite('%%remote\nexport function sq(x: number) {\n  return x * x;\n}');
    assert.equal(r.code.split('\n').length, 4);
    assert.match(r.code, /sgKernel\.remote\("export function sq\(x: number\) \{\\n  return x \* x;\\n\}", \{\}, \{ show: true \}\)/);
  });

  it('maps diagnostic columns in a magic back to the expression the user wrote', () => {
    const r = rewrite('%scatter histogram 5');
    const map = r.columnMaps[0];
    assert.ok(map?.rewrittenColumn !== undefined);
    assert.equal(rewriter.mapColumn(r.columnMaps, 0, map.rewrittenColumn), 19);
    assert.equal(rewriter.mapColumn(r.columnMaps, 0, 0), 0);
    assert.equal(rewriter.mapColumn(r.columnMaps, 1, 7), 7);
  });

  it('suggests the closest magic, flag or subcommand', () => {
    const e1 = failure('%scater histogram [[[1]]]');
    assert.equal(e1.code, 'UNKNOWN_MAGIC');
    assert.match(e1.hint ?? '', /Did you mean %scatter\?/);
    assert.match(failure('%gather --wiat').hint ?? '', /--wait/);
    assert.match(failure('%cluster stauts').hint ?? '', /%cluster status/);
    assert.match(failure('%%remot\nx').hint ?? '', /%%remote/);
    assert.equal(failure('%scatter histogram').code, 'BAD_ARGUMENTS');
    assert.equal(failure('%cluster local two').code, 'BAD_ARGUMENTS');
    assert.equal(failure('%cluster connect localhost:5555').code, 'BAD_ARGUMENTS');
    assert.equal(failure('%gather 1 2').code, 'BAD_ARGUMENTS');
    assert.match(failure('%cluster status --inline').message, /--inline is for %cluster dashboard/);
    assert.match(failure('%cluster dashboard --retries 2').message, /takes only --inline/);
  });

  it('takes names of Object.prototype for unknown magics and flags, not for members of the tables', () => {
    for (const code of ['%toString', '%constructor', '%hasOwnProperty x', '%%constructor\nexport const a = 1']) {
      assert.equal(failure(code).code, 'UNKNOWN_MAGIC', code);
    }
    for (const code of ['%gather --constructor 3', '%gather --toString', '%cluster local --__proto__ 2', '%%remote --valueOf x\nexport const a = 1']) {
      const e = failure(code);
      assert.equal(e.code, 'BAD_ARGUMENTS', code);
      assert.match(e.message, /unknown flag/, code);
    }
  });

  it('blanks magics for tslab but keeps the expression of %scatter in place', () => {
    const code = 'const a = 1;\n%scatter echo --retries 1 [[[a.toF]]]\n%gather --wait';
    const blank = rewriter.blankMagics(code);
    assert.equal(blank.length, code.length);
    const lines = blank.split('\n');
    assert.equal(lines[1], ' '.repeat(26) + '[[[a.toF]]]');
    assert.equal(lines[2]?.trim(), '');
  });
});
