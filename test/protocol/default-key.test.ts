import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultKeyPath, loadOrCreateDefaultKey, readKeyFile, writeKeyFile } from '@scattergather/protocol';

const NOBODY = 65534;

/** Starts `count` node processes at once, each making or reading the default key; their public keys. */
function racePublicKeys(count: number, env: NodeJS.ProcessEnv): Promise<string[]> {
  const script = "const p = require('@scattergather/protocol'); process.stdout.write(p.loadOrCreateDefaultKey().key.publicKey)";
  return Promise.all(Array.from({ length: count }, () => new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env, cwd: join(__dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => { clearTimeout(timer); if (code === 0) resolve(out); else reject(new Error(err)); });
  })));
}

describe('protocol/default key: the user\'s own cluster key', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sg-default-key-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives at $XDG_CONFIG_HOME/scattergather/cluster.key, or ~/.config when that is unset or relative', () => {
    const saved = process.env['XDG_CONFIG_HOME'];
    try {
      process.env['XDG_CONFIG_HOME'] = dir;
      assert.equal(defaultKeyPath(), join(dir, 'scattergather', 'cluster.key'));
      process.env['XDG_CONFIG_HOME'] = 'relative/path';
      assert.match(defaultKeyPath(), /\/\.config\/scattergather\/cluster\.key$/);
    } finally {
      process.env['XDG_CONFIG_HOME'] = saved;
    }
  });

  it('is made 0600 in a 0700 directory by whichever of many processes starting together needs it first, and all get the same key', async () => {
    const keys = await racePublicKeys(8, { ...process.env, XDG_CONFIG_HOME: dir });
    assert.equal(new Set(keys).size, 1, `one key, not ${new Set(keys).size}`);
    const file = join(dir, 'scattergather', 'cluster.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'scattergather')).mode & 0o777, 0o700);
    assert.equal(readKeyFile(file).publicKey, keys[0]);
    const saved = process.env['XDG_CONFIG_HOME'];
    try {
      process.env['XDG_CONFIG_HOME'] = dir;
      assert.equal(loadOrCreateDefaultKey().key.publicKey, keys[0], 'an existing key is read, never replaced');
    } finally {
      process.env['XDG_CONFIG_HOME'] = saved;
    }
  });

  it('refuses a key file that is a symlink, another user\'s, readable by others, or not a key, each saying what to do', () => {
    const file = join(dir, 'cluster.key');
    writeKeyFile(file);
    const link = join(dir, 'link.key');
    symlinkSync(file, link);
    assert.throws(() => readKeyFile(link), /is a symbolic link/);
    chmodSync(file, 0o640);
    assert.throws(() => readKeyFile(file), /chmod 600/);
    chmodSync(file, 0o600);
    if (process.getuid?.() === 0) {
      chownSync(file, NOBODY, NOBODY);
      assert.throws(() => readKeyFile(file), (e: unknown) => (e as { code?: string }).code === 'ERR_KEY_FILE_OWNER' && /belongs to another user/.test((e as Error).message));
    }
    const junk = join(dir, 'junk.key');
    writeKeyFile(junk);
    chmodSync(junk, 0o600);
    (require('node:fs') as typeof import('node:fs')).writeFileSync(junk, readFileSync(junk, 'utf8').replace(/"secretKey":"[^"]*"/, '"secretKey":"short"'));
    assert.throws(() => readKeyFile(junk), /is not a scattergather key file/);
  });
});
