import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A mocha root hook (loaded by .mocharc.json): the whole run, and every process
 * it starts, uses a private $XDG_CONFIG_HOME, so the user's key made by default
 * is the run's own and the real ~/.config is never touched.
 */
const dir = mkdtempSync(join(tmpdir(), 'sg-test-config-'));
process.env['XDG_CONFIG_HOME'] = dir;

export const mochaHooks = {
  afterAll(): void {
    rmSync(dir, { recursive: true, force: true });
  },
};
