import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes the results as JSON (NaN as null), atomically, creating the folder if needed. */
export function writeResultsFile(path: string, results: object): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = `${JSON.stringify(results, (_, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
