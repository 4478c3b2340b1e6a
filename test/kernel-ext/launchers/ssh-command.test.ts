import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const LAUNCHERS = path.resolve(__dirname, '..', '..', '..', '..', 'kernel-ext', 'dist', 'client', 'launchers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const command = require(path.join(LAUNCHERS, 'ssh-command.js')) as typeof import('../../../kernel-ext/src/client/launchers/ssh-command.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { quoteForShell } = require(path.join(LAUNCHERS, 'shell-quote.js')) as typeof import('../../../kernel-ext/src/client/launchers/shell-quote.js');

describe('the ssh launcher\'s command lines (ssh)', () => {
  it('quotes words so a POSIX shell reads them back unchanged', () => {
    const words = ['plain', 'two words', "it's", '$HOME', '`id`', 'a"b', '*', '', 'tcp://0.0.0.0:0', "'; rm -rf / #"];
    const echoed = execFileSync('sh', ['-c', `printf '%s\\n' ${words.map(quoteForShell).join(' ')}`], { encoding: 'utf8' });
    assert.deepEqual(echoed.split('\n').slice(0, -1), words);
  });

  it('puts BatchMode first (ssh keeps the first value), the user\'s arguments next, and the destination after --', () => {
    const argv = command.sshArgv({ host: 'user@node7' }, ['-F', 'cfg', '-o', 'BatchMode=no'], 'CMD');
    assert.deepEqual(argv.slice(0, 3), ['-T', '-o', 'BatchMode=yes']);
    assert.deepEqual(argv.slice(3, 7), ['-F', 'cfg', '-o', 'BatchMode=no']);
    assert.deepEqual(argv.slice(-3), ['--', 'user@node7', 'CMD']);
  });

  it('asks the remote sg-worker for the key on stdin, a wildcard bind and the advertised address', () => {
    assert.equal(
      command.remoteWorkerCommand('npx --no-install sg-worker', { host: 'h', procs: 4 }, 'node7.example'),
      'npx --no-install sg-worker --bind tcp://0.0.0.0:0 --key-stdin --exit-with-stdin --advertise node7.example --procs 4',
    );
  });

  it('advertises the HostName that ssh resolves an alias to', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sg-ssh-config-'));
    try {
      const config = path.join(dir, 'ssh_config');
      writeFileSync(config, 'Host gpu1\n  HostName 10.1.2.3\n');
      assert.equal(await command.resolveSshHostName('gpu1', ['-F', config]), '10.1.2.3');
      assert.equal(await command.resolveSshHostName('me@other', ['-F', config]), 'other');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
