import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const LAZY_LOG = join(__dirname, '..', '..', '..', '..', 'worker-server', 'dist', 'executor', 'lazy-log.js');

describe('worker-server/executor/lazy-log', () => {
  it('loads pino only at its first line, and then writes that line to stderr', async () => {
    const script = `
      const { LazyLog } = require(${JSON.stringify(LAZY_LOG)});
      const pinoLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/pino/'));
      const log = new LazyLog('sg-executor');
      const before = pinoLoaded();
      log.warn({ detail: 7 }, 'a first line');
      process.stdout.write(JSON.stringify({ before, after: pinoLoaded() }));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 20_000 });
    assert.deepEqual(JSON.parse(stdout), { before: false, after: true });
    const line = JSON.parse(stderr.trim()) as Record<string, unknown>;
    assert.equal(line['msg'], 'a first line');
    assert.equal(line['name'], 'sg-executor');
    assert.equal(line['detail'], 7);
    assert.equal(line['level'], 40);
  });
});
