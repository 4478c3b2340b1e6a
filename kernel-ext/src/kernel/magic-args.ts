/** Flag parsing shared by the magics: `--name value`, `--name=value` and boolean `--name`. */
import { KernelError } from './errors.js';
import { findOwn } from './find-own.js';
import { closest } from './suggest.js';

export type FlagKind = 'boolean' | 'number' | 'string';
export type FlagSpec = Record<string, FlagKind>;
export type FlagValues = Record<string, string | number | boolean>;

export interface ParsedArgs {
  flags: FlagValues;
  positionals: string[];
}

function flagValue(magic: string, flag: string, kind: Exclude<FlagKind, 'boolean'>, raw: string | undefined): string | number {
  // An empty number would read as 0 (`--timeout=` as no time at all).
  if (raw === undefined || raw.trim() === '') {
    throw new KernelError('BAD_ARGUMENTS', `%${magic}: --${flag} needs a value`, { hint: `Write --${flag} VALUE or --${flag}=VALUE.` });
  }
  if (kind === 'string') return raw;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new KernelError('BAD_ARGUMENTS', `%${magic}: --${flag} wants a non-negative number, not '${raw}'`);
  }
  return n;
}

/** Reads one flag at words[i] (which starts with `--`); returns how many words it used. */
export function readFlag(magic: string, spec: FlagSpec, words: readonly string[], i: number, out: FlagValues): number {
  const word = words[i] ?? '';
  const eq = word.indexOf('=');
  const name = word.slice(2, eq < 0 ? undefined : eq);
  const kind = findOwn(spec, name);
  if (!kind) {
    const known = Object.keys(spec);
    const near = closest(name, known);
    throw new KernelError('BAD_ARGUMENTS', `%${magic}: unknown flag --${name}`, {
      hint: near ? `Did you mean --${near}?` : known.length ? `Flags: ${known.map((f) => '--' + f).join(' ')}` : `%${magic} takes no flags.`,
    });
  }
  if (kind === 'boolean') {
    if (eq >= 0) {
      throw new KernelError('BAD_ARGUMENTS', `%${magic}: --${name} takes no value, not '${word.slice(eq + 1)}'`, {
        hint: `Write --${name} alone to turn it on, or leave it out.`,
      });
    }
    out[name] = true;
    return 1;
  }
  if (eq >= 0) {
    out[name] = flagValue(magic, name, kind, word.slice(eq + 1));
    return 1;
  }
  out[name] = flagValue(magic, name, kind, words[i + 1]);
  return 2;
}

export function parseArgs(magic: string, spec: FlagSpec, words: readonly string[]): ParsedArgs {
  const flags: FlagValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < words.length; ) {
    const w = words[i] ?? '';
    if (w.startsWith('--') && w.length > 2) i += readFlag(magic, spec, words, i, flags);
    else {
      positionals.push(w);
      i++;
    }
  }
  return { flags, positionals };
}

/** A handle argument as TypeScript: a set id stays a number, anything else is an expression. */
export function handleExpression(magic: string, word: string | undefined): string {
  if (word === undefined) return 'undefined';
  if (/^\d+$/.test(word)) return word;
  if (/^#\d+$/.test(word)) return word.slice(1);
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(word)) return word;
  throw new KernelError('BAD_ARGUMENTS', `%${magic}: '${word}' is not a set handle`, {
    hint: 'Give a set id such as 3, or a variable that holds a handle.',
  });
}

export function tooMany(magic: string, extra: readonly string[], usage: string): void {
  if (extra.length) {
    throw new KernelError('BAD_ARGUMENTS', `%${magic}: unexpected '${extra.join(' ')}'`, { hint: `Usage: ${usage}` });
  }
}
