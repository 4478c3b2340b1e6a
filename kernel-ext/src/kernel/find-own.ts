/**
 * Looks up a name the user typed (a magic, a flag) in a table written as an
 * object literal: only the table's own entries count, so `%constructor` or
 * `--toString` is unknown rather than a member of Object.prototype.
 */
export function findOwn<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
