/** Tab completion and Shift-Tab help for magic lines; other code goes to tslab. */
import { allMagicNames, CELL_MAGICS, CLUSTER_SUBCOMMANDS, LINE_MAGICS } from './magic-table.js';
import { findOwn } from './find-own.js';
import { matchCellMagic, matchMagicLine } from './magic-parser.js';

export interface CompletionSources {
  functions(): string[];
  /** Set ids (as text) and handle variables. */
  handles(): string[];
}

export interface MagicCompletion {
  start: number;
  end: number;
  matches: string[];
}

interface CursorLine {
  text: string;
  start: number;
  before: string;
  isFirst: boolean;
}

function cursorLine(code: string, cursor: number): CursorLine {
  const start = code.lastIndexOf('\n', cursor - 1) + 1;
  const endNl = code.indexOf('\n', cursor);
  const text = code.slice(start, endNl < 0 ? code.length : endNl);
  return { text, start, before: code.slice(start, cursor), isFirst: start === 0 };
}

const flagsOf = (flags: Record<string, unknown>) => Object.keys(flags).map((f) => '--' + f);

/** Completions when the cursor is in a magic's name or arguments; undefined leaves it to tslab. */
export function completeMagic(code: string, cursor: number, sources: CompletionSources): MagicCompletion | undefined {
  const line = cursorLine(code, cursor);
  const name = /^(\s*(?:(?:(?:const|let|var)\s+[A-Za-z_$][\w$]*(?:\s*:[^=%]*)?|[A-Za-z_$][\w$.]*)\s*=\s*)?)(%{1,2}[\w-]*)$/.exec(line.before);
  if (name) {
    const typed = name[2] ?? '';
    const all = allMagicNames().filter((n) => line.isFirst || !n.startsWith('%%'));
    return { start: line.start + (name[1] ?? '').length, end: cursor, matches: all.filter((n) => n.startsWith(typed)) };
  }
  const partial = /(\S*)$/.exec(line.before)?.[1] ?? '';
  const at = { start: cursor - partial.length, end: cursor };
  const pick = (cands: readonly string[]) => ({ ...at, matches: cands.filter((c) => c.startsWith(partial)) });
  const cell = line.isFirst ? matchCellMagic(line.text) : null;
  if (cell) return pick(flagsOf(findOwn(CELL_MAGICS, cell.name)?.flags ?? {}));
  const m = matchMagicLine(line.text);
  const spec = m ? findOwn(LINE_MAGICS, m.name) : undefined;
  if (!m || !spec) return undefined;
  if (partial.startsWith('--')) return pick(flagsOf(spec.flags));
  const argsBefore = line.before.slice(m.prefix.length + 1 + m.name.length);
  const before = argsBefore.split(/\s+/).filter(Boolean).slice(0, partial ? -1 : undefined);
  const positionals = before.filter((w) => !w.startsWith('--')).length;
  const firstArgument: Record<string, () => MagicCompletion | undefined> = {
    subcommand: () => pick(positionals ? flagsOf(spec.flags) : CLUSTER_SUBCOMMANDS),
    function: () => (positionals ? undefined : pick(sources.functions())),
    handle: () => pick(positionals ? flagsOf(spec.flags) : [...sources.handles(), ...flagsOf(spec.flags)]),
    none: () => undefined,
  };
  return firstArgument[spec.firstArgument]?.();
}

/** Help for the magic on the cursor's line, for Shift-Tab (inspect). */
export function magicHelp(code: string, cursor: number): string | undefined {
  const line = cursorLine(code, cursor);
  const cell = line.isFirst ? matchCellMagic(line.text) : null;
  if (cell) {
    const spec = findOwn(CELL_MAGICS, cell.name);
    return spec ? `${spec.usage}\n\n${spec.summary}` : undefined;
  }
  const m = matchMagicLine(line.text);
  const spec = m ? findOwn(LINE_MAGICS, m.name) : undefined;
  if (!m || !spec) return undefined;
  const exprMagic = spec.firstArgument === 'function' || m.name === 'chart';
  const nameEnd = m.prefix.length + 1 + m.name.length;
  if (exprMagic && line.before.length > nameEnd + 1 && /\S\s+\S/.test(line.text.slice(nameEnd + 1, line.before.length + 1))) {
    return undefined; // inside the TypeScript expression: tslab's own inspection
  }
  return `${spec.usage}\n\n${spec.summary}`;
}
