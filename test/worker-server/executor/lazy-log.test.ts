import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const LAZY_LOG = join(__dirname, '..', '..', '..', '..', 'worker-server', 'dist', 'executor', 'lazy-log.js');

/** Runs `script` in a fresh Node with LazyLog loaded as `LazyLog`; its stdout and stderr. */
async function runWithLazyLog(script: string): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env['SG_LOG_LEVEL'];
  return promisify(execFile)(process.execPath, ['-e', `const { LazyLog } = require(${JSON.stringify(LAZY_LOG)});\n${script}`], { timeout: 20_000, env });
}

describe('worker-server/executor/lazy-log', () => {
  it('loads pino only at its first line, and then writes that line to stderr', async () => {
    const { stdout, stderr } = await runWithLazyLog(`
      const pinoLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/pino/'));
      const log = new LazyLog('sg-executor');
      const before = pinoLoaded();
      log.warn({ detail: 7 }, 'a first line');
      process.stdout.write(JSON.stringify({ before, after: pinoLoaded() }));`);
    assert.deepEqual(JSON.parse(stdout), { before: false, after: true });
    const line = JSON.parse(stderr.trim()) as Record<string, unknown>;
    assert.equal(line['msg'], 'a first line');
    assert.equal(line['name'], 'sg-executor');
    assert.equal(line['detail'], 7);
    assert.equal(line['level'], 40);
  });

  it('never throws: when pino cannot be loaded then, the line still reaches stderr', async () => {
    const { stdout, stderr } = await runWithLazyLog(`
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === '../logger.js') throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
        return load.call(this, request, ...rest);
      };
      new LazyLog('sg-executor').error({ detail: 7 }, 'the task pipe broke');
      process.stdout.write('still here');`);
    assert.equal(stdout, 'still here');
    const line = JSON.parse(stderr.trim()) as Record<string, unknown>;
    assert.equal(line['msg'], 'the task pipe broke');
    assert.equal(line['level'], 'error');
    assert.match(String(line['logFailed']), /EMFILE/);
  });
});
