/** One word for a POSIX shell (sh, bash, zsh): single quotes, with each `'` written as `'\''`. */
export function quoteForShell(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
