/**
 * Tells TypeScript code from strings, template literals, comments and regex
 * literals, resumably: `scan` returns where it stopped, so the magic parser can
 * carry a multi-line template literal or block comment from one line to the
 * next and not take a `%…` line inside one for a magic.
 */

export interface ScanState {
  /**
   * Open template literals, outermost first: -1 while in the template's text,
   * else how many `{` are open in its current `${ }`, whose content is code.
   */
  readonly templates: readonly number[];
  /** The quote of a '…' or "…" string continued past an escaped line break. */
  readonly quote: string;
  readonly blockComment: boolean;
  /** The last code character that is not a space: it tells a regex literal from a division. */
  readonly last: string;
}

export interface ScanCallbacks {
  /** Each character of code, with its index. */
  code?(c: string, i: number): void;
  /** Where each `//` comment starts and ends (block comments are not reported). */
  lineComment?(start: number, end: number): void;
}

export const CODE_START: ScanState = { templates: [], quote: '', blockComment: false, last: '' };

/** Whether a line starting in `state` starts in code, and not within a template's `${ }` (an expression). */
export function atTopLevel(state: ScanState): boolean {
  return state.templates.length === 0 && !state.quote && !state.blockComment;
}

/**
 * Scans `text` from `from` and returns the state at its end. A `//` right after
 * `:` belongs to a URL (tcp://host), as magic arguments have them.
 */
export function scan(text: string, from: ScanState = CODE_START, on: ScanCallbacks = {}): ScanState {
  const templates = [...from.templates];
  let { quote, blockComment, last } = from;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const next = text[i + 1];
    const top = templates.length - 1;
    if (blockComment) {
      if (c === '*' && next === '/') {
        blockComment = false;
        i++;
      }
    } else if (quote) {
      if (c === '\\') i++;
      // An unescaped line break ends even an unclosed string, so a stray quote spoils one line only.
      else if (c === quote || c === '\n') {
        last = quote;
        quote = '';
      }
    } else if (templates[top] === -1) {
      if (c === '\\') i++;
      else if (c === '`') {
        templates.pop();
        last = c;
      } else if (c === '$' && next === '{') {
        templates[top] = 0;
        last = '{';
        i++;
      }
    } else if (c === '`') templates.push(-1);
    else if (c === '"' || c === "'") quote = c;
    else if (c === '/' && next === '*') {
      blockComment = true;
      i++;
    } else if (c === '/' && next === '/' && text[i - 1] !== ':') {
      const eol = text.indexOf('\n', i);
      const end = eol < 0 ? text.length : eol;
      on.lineComment?.(i, end);
      i = end - 1;
    } else if (c === '}' && templates[top] === 0) templates[top] = -1;
    else {
      const end = c === '/' && regexMayStart(text, i, last) ? regexEnd(text, i) : -1;
      if (end >= 0) {
        i = end;
        last = c;
      } else {
        if (top >= 0 && (c === '{' || c === '}')) templates[top] = (templates[top] ?? 0) + (c === '{' ? 1 : -1);
        if (!/\s/.test(c)) last = c;
        on.code?.(c, i);
      }
    }
  }
  return { templates, quote, blockComment, last };
}

const BEFORE_REGEX = '(,=:[!&|?{};+-*%<>~^';
const KEYWORD_BEFORE = /(?:^|[^\w$.])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)\s*$/;

/** Whether a `/` at `i` can start a regex literal: after an operator or a keyword, not after a value. */
function regexMayStart(text: string, i: number, last: string): boolean {
  const next = text[i + 1];
  if (next === '/' || next === '*') return false;
  return last === '' || BEFORE_REGEX.includes(last) || (/[\w$]/.test(last) && KEYWORD_BEFORE.test(text.slice(0, i)));
}

/** Index of the `/` closing the regex literal opening at `i`, or -1 if none on its line (then it was a division). */
function regexEnd(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\n') return -1;
    if (c === '\\') {
      if (text[j + 1] === '\n') return -1;
      j++;
    } else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return j;
  }
  return -1;
}
