/**
 * Turns a cell with magics into TypeScript for tslab, line for line: each magic
 * becomes an `await sgKernel.…(…)` on the same line, so tslab still type-checks
 * the expressions inside magics, keeps variables and handles interrupts, and its
 * diagnostics point at the right line (columns are mapped back by `mapColumn`).
 */
import { KernelError } from './errors.js';
import { compileCellMagic, lineMagic, type RewriteEnv } from './magic-table.js';
import { parseCell } from './magic-parser.js';

export interface ColumnMap {
  /** 0-based line of the magic. */
  line: number;
  /** Column of the magic's `%` in the source. */
  magicColumn: number;
  /** Where the embedded expression starts: in the source, and in the rewritten line. */
  sourceColumn?: number;
  rewrittenColumn?: number;
}

export interface RewrittenCell {
  code: string;
  hasMagic: boolean;
  columnMaps: ColumnMap[];
}

export function rewriteCell(code: string, env: RewriteEnv): RewrittenCell {
  const parsed = parseCell(code);
  if (!parsed.hasMagic) return { code, hasMagic: false, columnMaps: [] };
  if (parsed.cellMagic) {
    const lines = code.split('\n').length;
    const call = `void (await ${compileCellMagic(parsed.cellMagic)}{ show: true }));`;
    return { code: call + '\n'.repeat(lines - 1), hasMagic: true, columnMaps: [] };
  }
  const out: string[] = [];
  const columnMaps: ColumnMap[] = [];
  // A function declared earlier in the same cell is not among the executor's locals yet.
  const cellEnv: RewriteEnv = {
    isLocalFunction: (name) => env.isLocalFunction(name) || declaredIn(out.join('\n'), name),
  };
  for (const seg of parsed.segments) {
    if (seg.kind === 'code') {
      out.push(seg.text);
      continue;
    }
    const m = seg.magic;
    const show = m.isLast && !m.assigns;
    const compiled = lineMagic(m.name).compile(m, cellEnv, `{ show: ${show} }`);
    const head = m.prefix + (m.assigns ? 'await ' : 'void (await ');
    out.push(head + compiled.call + (m.assigns ? ';' : ');'));
    const map: ColumnMap = { line: m.line, magicColumn: m.column };
    if (compiled.expr) {
      map.sourceColumn = compiled.expr.sourceColumn;
      map.rewrittenColumn = head.length + compiled.expr.callOffset;
    }
    columnMaps.push(map);
  }
  return { code: out.join('\n'), hasMagic: true, columnMaps };
}

function declaredIn(code: string, name: string): boolean {
  const escaped = name.replace(/\$/g, '\\$');
  return new RegExp(`(?:^|[^\\w$.])(?:const|let|var|function)\\s+${escaped}(?![\\w$])`).test(code);
}

/** Maps a 0-based (line, column) of the rewritten cell back to the source cell. */
export function mapColumn(maps: readonly ColumnMap[], line: number, column: number): number {
  const map = maps.find((m) => m.line === line);
  if (!map) return column;
  if (map.rewrittenColumn !== undefined && map.sourceColumn !== undefined && column >= map.rewrittenColumn) {
    return column - map.rewrittenColumn + map.sourceColumn;
  }
  return map.magicColumn;
}

/** The rewrite, or the KernelError that stops it (unknown magic, bad arguments). */
export function tryRewriteCell(code: string, env: RewriteEnv): RewrittenCell | KernelError {
  try {
    return rewriteCell(code, env);
  } catch (e) {
    if (e instanceof KernelError) return e;
    throw e;
  }
}

/**
 * The cell with every magic blanked out (same length, same lines), for tslab's
 * completion, inspection and is-complete checks; a magic's TypeScript expression
 * stays in place so completion inside it works.
 */
export function blankMagics(code: string): string {
  const parsed = parseCell(code);
  if (!parsed.hasMagic) return code;
  if (parsed.cellMagic) return code.replace(/[^\n]/g, ' ');
  const lines = code.split('\n');
  for (const seg of parsed.segments) {
    if (seg.kind !== 'magic') continue;
    const m = seg.magic;
    const keepsExpr = m.name === 'scatter' || m.name === 'chart';
    const first = lines[m.line] ?? '';
    const exprStart = keepsExpr ? exprColumn(first, m.argsColumn, m.name) : first.length;
    lines[m.line] = ' '.repeat(exprStart) + first.slice(exprStart);
    if (!keepsExpr) for (let i = 1; i < m.lineCount; i++) lines[m.line + i] = ' '.repeat((lines[m.line + i] ?? '').length);
  }
  return lines.join('\n');
}

/** Column where the expression of `%scatter FN --flags EXPR` / `%chart --flags EXPR` starts. */
function exprColumn(line: string, argsColumn: number, name: string): number {
  const re = /\S+/g;
  re.lastIndex = argsColumn;
  let skipName = name === 'scatter';
  let expectValue = false;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (skipName) skipName = false;
    else if (expectValue) expectValue = false;
    else if (m[0].startsWith('--')) expectValue = !m[0].includes('=');
    else return m.index;
  }
  return line.length;
}
