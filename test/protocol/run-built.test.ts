import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/processes';

/** A package like ours in a temp dir: bin/sg-demo.js is the committed shim; dist/ is built only when `built`. */
function makePackage(root: string, built: boolean): string {
  mkdirSync(join(root, 'bin'));
  const shim = join(root, 'bin', 'sg-demo.js');
  writeFileSync(shim, `require(${JSON.stringify(require.resolve('@scattergather/protocol/run-built'))})(__dirname, 'sg-demo');\n`);
  if (built) {
    mkdirSync(join(root, 'dist', 'bin'), { recursive: true });
    writeFileSync(join(root, 'dist', 'bin', 'sg-demo.js'), 'console.log(JSON.stringify(process.argv.slice(2)));\n');
  }
  return shim;
}

describe('protocol/run-built (the bin shims)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sg-run-built-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the built command with the arguments it was given', async () => {
    const result = await run([makePackage(dir, true), '--help', 'x y']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), ['--help', 'x y']);
  });

  it('says to run npm run build when the command is not built', async () => {
    const result = await run([makePackage(dir, false), '--help']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^sg-demo: .*dist\/bin\/sg-demo\.js is missing: scattergather is not built\. Run `npm run build`/);
  });
});
