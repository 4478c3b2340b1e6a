import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePrivateDir, removePrivateDirOf } from '@scattergather/protocol';

/** Leaves a Unix socket file at each ipc endpoint, as a client killed outright does (its process listens, then dies by SIGKILL). */
function leaveSockets(endpoints: string[]): void {
  for (const endpoint of endpoints) {
    const listenThenDie = `require('node:net').createServer().listen(${JSON.stringify(endpoint.slice('ipc://'.length))}, () => process.kill(process.pid, 'SIGKILL'))`;
    const { signal } = spawnSync(process.execPath, ['-e', listenThenDie], { timeout: 10_000 });
    assert.equal(signal, 'SIGKILL');
  }
}

describe('protocol/transport/private-dir removePrivateDirOf', () => {
  let scratch: string;
  beforeEach(() => { scratch = mkdtempSync(join(tmpdir(), 'pdtest-')); });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('removes a private directory that holds only the endpoints\' sockets', () => {
    const dir = makePrivateDir('client');
    const endpoints = [dir.endpoint('jobs'), dir.endpoint('results')];
    leaveSockets(endpoints);
    assert.equal(removePrivateDirOf(endpoints), undefined);
    assert.equal(existsSync(dir.dir), false);
  });

  it('never touches a directory not named as ours, whatever it holds (ipc:///tmp/j would have emptied /tmp)', () => {
    const precious = join(scratch, 'precious.txt');
    writeFileSync(precious, 'mine');
    chmodSync(scratch, 0o700);
    assert.match(removePrivateDirOf([`ipc://${join(scratch, 'j')}`]) ?? '', /not named/);
    assert.ok(existsSync(precious));
  });

  it('keeps a directory of our name but another mode, a non-socket at an endpoint, and other files', () => {
    const open = join(scratch, 'sg-client-AbC123');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    assert.match(removePrivateDirOf([`ipc://${join(open, 'jobs')}`]) ?? '', /mode 755/);

    const dir = makePrivateDir('client');
    writeFileSync(join(dir.dir, 'jobs'), 'not a socket');
    assert.match(removePrivateDirOf([dir.endpoint('jobs')]) ?? '', /not a socket/);
    assert.ok(existsSync(join(dir.dir, 'jobs')));
    rmSync(join(dir.dir, 'jobs'));

    leaveSockets([dir.endpoint('results')]);
    writeFileSync(join(dir.dir, 'other'), 'x');
    assert.match(removePrivateDirOf([dir.endpoint('results')]) ?? '', /kept/);
    assert.ok(existsSync(join(dir.dir, 'other')), 'a file we did not make stays');
    assert.equal(existsSync(join(dir.dir, 'results')), false, 'our socket went');
    dir.remove();
  });

  it('refuses endpoints in two directories, or not ipc', () => {
    assert.match(removePrivateDirOf(['tcp://127.0.0.1:5555']) ?? '', /not ipc/);
    assert.match(removePrivateDirOf([`ipc://${scratch}/a`, `ipc://${tmpdir()}/b`]) ?? '', /one directory/);
  });
});
