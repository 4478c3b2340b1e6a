import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll } from './processes';

interface Closable { close(): unknown }

/**
 * For an end-to-end suite: what a test opens (clients, raw controllers,
 * scripted servers) is closed after it, and then every process it started is
 * killed. Call it in the `describe`; `add` what each test opens.
 */
export function closeAfterEach(): { add<T extends Closable>(thing: T): T } {
  let opened: Closable[] = [];
  afterEach(async () => {
    const things = opened;
    opened = [];
    await Promise.all(things.map(async (thing) => thing.close()));
    await killAll();
  });
  return {
    add: (thing) => {
      opened.push(thing);
      return thing;
    },
  };
}

/** A private temporary directory for each test (`.path`), removed after it (after closeAfterEach's work, if called after it). */
export function tempDirEach(prefix: string): { readonly path: string } {
  const dir = { path: '' };
  beforeEach(() => {
    dir.path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(dir.path, { recursive: true, force: true }));
  return dir;
}
