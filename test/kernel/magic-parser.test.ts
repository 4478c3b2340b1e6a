import assert from 'node:assert/strict';
import { parser } from './kernel-modules';

describe('kernel/magic-parser', () => {
  it('finds a line magic with its arguments and where they start', () => {
    const p = parser.parseCell('const x = 1;\n%scatter histogram [[[10]]]');
    assert.equal(p.hasMagic, true);
    const seg = p.segments[1];
    assert.ok(seg && seg.kind === 'magic');
    assert.equal(seg.magic.name, 'scatter');
    assert.equal(seg.magic.args, 'histogram [[[10]]]');
    assert.equal(seg.magic.line, 1);
    assert.equal(seg.magic.argsColumn, 9);
    assert.equal(seg.magic.isLast, true);
    assert.equal(seg.magic.assigns, false);
  });

  it('reads an assignment in front of a magic', () => {
    const p = parser.parseCell('const h: SetHandle = %scatter echo [[[1]]]\nh');
    const seg = p.segments[0];
    assert.ok(seg && seg.kind === 'magic');
    assert.equal(seg.magic.prefix, 'const h: SetHandle = ');
    assert.equal(seg.magic.assigns, true);
    assert.equal(seg.magic.isLast, false);
  });

  it('continues a magic over lines while brackets are open, and not past strings or comments', () => {
    const p = parser.parseCell('%scatter echo [\n  [["a ] b"]], // ]\n  [[2]],\n]\n// done');
    const seg = p.segments[0];
    assert.ok(seg && seg.kind === 'magic');
    assert.equal(seg.magic.lineCount, 4);
    assert.equal(seg.magic.isLast, true);
    assert.equal(parser.openBrackets('[{("]")}'), 1);
    assert.equal(parser.openBrackets('connect tcp://h:1 ['), 1, 'a URL is no comment');
  });

  it('leaves modulo and ordinary code alone', () => {
    assert.equal(parser.parseCell('const a = 7 % 3;\nlet b = a\n  % 2;').hasMagic, false);
    assert.equal(parser.matchMagicLine('x %= 2'), null);
    assert.equal(parser.matchMagicLine('% 2'), null);
  });

  const magicLines = (code: string) =>
    parser.parseCell(code).segments.flatMap((s) => (s.kind === 'magic' ? [`${s.magic.line}: %${s.magic.name} ${s.magic.args}`] : []));

  it('takes no line inside a multi-line template literal for a magic', () => {
    assert.deepEqual(magicLines('const s = `\n%d items\n  %gather 1\n`;\ns'), []);
    assert.deepEqual(magicLines('const s = `a \\` b\n%gather 1\n`;\n%gather 2'), ['3: %gather 2'], 'an escaped backtick does not end it');
  });

  // A line inside `${ }` is code, but part of an expression, where `%x` is the modulo operator: never a magic.
  it('reads the code in ${ } of a template, nested templates included, and no magic there', () => {
    const code = ['const s = `${', '  %gather 1', "} ${'}' + [1].map((n) => `", '%d items ${n}', '`)}`;', '%gather 2'].join('\n');
    assert.deepEqual(magicLines(code), ['5: %gather 2']);
    assert.deepEqual(magicLines('const t = `${ { a: 1 }.a\n%gather 1\n}`;\n%gather 2'), ['3: %gather 2'], 'braces in ${ } nest');
  });

  it('takes no line inside a block comment for a magic, and finds one after it', () => {
    assert.deepEqual(magicLines('/* notes\n%gather 1\n  %d items */ x;\n%gather 2'), ['3: %gather 2']);
    assert.deepEqual(magicLines('x; /* a */ y; /*\n%gather 1\n*/'), []);
    assert.deepEqual(magicLines('const s = `a\nb`; /* c\n*/\n%gather 3'), ['3: %gather 3']);
    assert.equal(parser.openBrackets('[ /* ] */ "]"'), 1);
  });

  it('does not take a backtick or /* in a regex literal for a template or comment', () => {
    assert.deepEqual(magicLines('const a = /`/.test(s);\n%gather 1'), ['1: %gather 1']);
    assert.deepEqual(magicLines('const b = s.replace(/^\\/*/, "");\n%gather 2'), ['1: %gather 2']);
    assert.deepEqual(magicLines('const c = n++ / 2 + `\n%gather 3\n`;'), [], 'a division is no regex');
  });

  it('takes %% on the first line as a cell magic with its body', () => {
    const p = parser.parseCell('%%remote --name geo\nexport const f = (x: number) => x;\n');
    assert.deepEqual(p.cellMagic, { name: 'remote', args: '--name geo', body: 'export const f = (x: number) => x;\n' });
    assert.equal(parser.parseCell('1;\n%%remote').cellMagic, undefined);
  });

  it('splits words honouring quotes', () => {
    assert.deepEqual(parser.splitWords(`connect "tcp://a b:1" 'x y' z`), ['connect', 'tcp://a b:1', 'x y', 'z']);
  });
});
