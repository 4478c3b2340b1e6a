/**
 * Finds the magics in a cell. A line magic is a line whose first non-blank
 * character is `%` followed by a letter, optionally after an assignment
 * (`const h = %scatter ...`); its arguments may continue on the next lines while
 * brackets are open, and `//` comments in them are dropped. A cell magic
 * (`%%remote`) must be the cell's first line. A line inside a multi-line
 * template literal (its `${ }` included) or block comment is never a magic.
 */

import { atTopLevel, CODE_START, scan } from './code-scanner.js';

export interface LineMagic {
  /** Without the `%`. */
  name: string;
  /** The argument text, newlines kept when it continues over several lines. */
  args: string;
  /** 0-based line of the `%`. */
  line: number;
  /** How many source lines the magic spans. */
  lineCount: number;
  /** 0-based column where `args` starts on the first line. */
  argsColumn: number;
  /** Column of the `%` on its line. */
  column: number;
  /** Text before the `%` (indentation and any assignment such as `const h = `). */
  prefix: string;
  /** Whether the line assigns the magic's value (`x = %gather`). */
  assigns: boolean;
  /** Whether no code follows the magic in the cell, so its value is the cell's value. */
  isLast: boolean;
}

export interface CellMagic {
  name: string;
  args: string;
  /** Everything after the first line. */
  body: string;
}

export type Segment = { kind: 'code'; text: string } | { kind: 'magic'; magic: LineMagic };

export interface ParsedCell {
  cellMagic?: CellMagic;
  /** Line by line: consecutive code lines are joined; magics keep their own segment. */
  segments: Segment[];
  hasMagic: boolean;
}

const MAGIC_LINE =
  /^(\s*(?:(?:(?:const|let|var)\s+[A-Za-z_$][\w$]*(?:\s*:[^=%]*)?|[A-Za-z_$][\w$.]*)\s*=\s*)?)%([A-Za-z][\w-]*)(.*)$/;
const CELL_MAGIC = /^\s*%%([A-Za-z][\w-]*)(.*)$/;

/** Matches a line that starts a line magic, or null. */
export function matchMagicLine(text: string): { prefix: string; name: string; rest: string } | null {
  if (CELL_MAGIC.test(text)) return null;
  const m = MAGIC_LINE.exec(text);
  if (!m) return null;
  return { prefix: m[1] ?? '', name: m[2] ?? '', rest: m[3] ?? '' };
}

export function matchCellMagic(code: string): CellMagic | null {
  const nl = code.indexOf('\n');
  const first = nl < 0 ? code : code.slice(0, nl);
  const m = CELL_MAGIC.exec(first);
  if (!m || first.slice(0, first.indexOf('%')).trim() !== '') return null;
  return { name: m[1] ?? '', args: stripComments(m[2] ?? '').trim(), body: nl < 0 ? '' : code.slice(nl + 1) };
}

/** Net count of open brackets in `text`, ignoring strings, template literals' text and comments. */
export function openBrackets(text: string): number {
  let depth = 0;
  scan(text, CODE_START, {
    code: (c) => {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    },
  });
  return depth;
}

/**
 * `text` without its `//` comments, line breaks kept: a comment after a magic
 * would otherwise comment out the end of the call it becomes, or be read as arguments.
 */
export function stripComments(text: string): string {
  let out = '';
  let from = 0;
  scan(text, CODE_START, {
    lineComment: (start, end) => {
      out += text.slice(from, start);
      from = end;
    },
  });
  return out + text.slice(from);
}

function isBlankOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('//');
}

export function parseCell(code: string): ParsedCell {
  const cellMagic = matchCellMagic(code);
  if (cellMagic) return { cellMagic, segments: [], hasMagic: true };
  const lines = code.split('\n');
  const segments: Segment[] = [];
  const magics: LineMagic[] = [];
  let code_: string[] = [];
  const flush = (): void => {
    if (code_.length) segments.push({ kind: 'code', text: code_.join('\n') });
    code_ = [];
  };
  // Where the next line starts: a magic only starts in code, outside templates and comments.
  let state = CODE_START;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const m = atTopLevel(state) ? matchMagicLine(text) : null;
    if (!m) {
      code_.push(text);
      state = scan(text + '\n', state);
      continue;
    }
    let args = m.rest;
    let count = 1;
    while (openBrackets(args) > 0 && i + count < lines.length) {
      args += '\n' + (lines[i + count] ?? '');
      count++;
    }
    args = stripComments(args);
    const column = m.prefix.length;
    const lead = args.length - args.trimStart().length;
    const magic: LineMagic = {
      name: m.name,
      args: args.trim(),
      line: i,
      lineCount: count,
      argsColumn: column + 1 + m.name.length + lead,
      column,
      prefix: m.prefix,
      assigns: m.prefix.trim() !== '',
      isLast: false,
    };
    flush();
    segments.push({ kind: 'magic', magic });
    magics.push(magic);
    i += count - 1;
    state = CODE_START;
  }
  flush();
  const last = magics[magics.length - 1];
  if (last) {
    const after = lines.slice(last.line + last.lineCount);
    last.isLast = after.every(isBlankOrComment);
  }
  return { segments, hasMagic: magics.length > 0 };
}

/** Splits argument text into words; quotes group words and are removed. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}
