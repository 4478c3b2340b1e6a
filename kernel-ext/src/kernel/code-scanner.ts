/**
 * Tells TypeScript code from strings, template literals and comments,
 * resumably: `scan` returns where it stopped, so the magic parser can
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
}

export interface ScanCallbacks {
  /** Each character of code, with its index. */
  code?(c: string, i: number): void;
  /** Where each `//` comment starts and ends (block comments are not reported). */
  lineComment?(start: number, end: number): void;
}

export const CODE_START: ScanState = { templates: [], quote: '', blockComment: false };

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
  let { quote, blockComment } = from;
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
      else if (c === quote || c === '\n') quote = '';
    } else if (templates[top] === -1) {
      if (c === '\\') i++;
      else if (c === '`') templates.pop();
      else if (c === '$' && next === '{') {
        templates[top] = 0;
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
      if (top >= 0 && (c === '{' || c === '}')) templates[top] = (templates[top] ?? 0) + (c === '{' ? 1 : -1);
      on.code?.(c, i);
    }
  }
  return { templates, quote, blockComment };
}
