import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeValue, encodeValue, DEFAULT_BLOB_THRESHOLD, ProtocolError, removeSharedDir, SHARED_DIR_PREFIX, type SharedArrayWriter } from '@scattergather/protocol';

describe('protocol/shared-arrays', () => {
  let dir: string;
  let writer: SharedArrayWriter & { paths: string[] };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), SHARED_DIR_PREFIX));
    const paths: string[] = [];
    writer = {
      paths,
      place: (bytes) => {
        const path = join(dir, String(paths.length));
        writeFileSync(path, bytes);
        paths.push(path);
        return path;
      },
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes big views once to the writer and sends only their path; small ones stay inline', () => {
    const big = new Float64Array(DEFAULT_BLOB_THRESHOLD / 8).map((_, i) => i * 0.5);
    const small = new Int16Array([1, -2, 3]);
    const payload = encodeValue({ big, small }, DEFAULT_BLOB_THRESHOLD, writer);
    assert.equal(writer.paths.length, 1);
    assert.equal(payload.blobs.length, 0, 'no frame carries the bytes');
    assert.ok(payload.body.byteLength < 200, `the body holds a path, not ${payload.body.byteLength} bytes`);
    assert.deepEqual(new Uint8Array(readFileSync(writer.paths[0] as string)), new Uint8Array(big.buffer));
    const back = decodeValue(payload) as { big: Float64Array; small: Int16Array };
    assert.ok(back.big instanceof Float64Array && back.small instanceof Int16Array);
    assert.deepEqual(back.big, big);
    assert.deepEqual(back.small, small);
  });

  it('refuses a reference to any file but a shared array file', () => {
    const outside = mkdtempSync(join(tmpdir(), 'sg-not-shared-'));
    try {
      const stray = join(outside, 'secret');
      writeFileSync(stray, new Uint8Array(DEFAULT_BLOB_THRESHOLD));
      for (const path of [stray, '/etc/hostname', join(dir, 'missing')]) {
        const payload = encodeValue(new Uint8Array(DEFAULT_BLOB_THRESHOLD), DEFAULT_BLOB_THRESHOLD, { place: () => path });
        assert.throws(() => decodeValue(payload), (error: unknown) => error instanceof ProtocolError && error.code === 'ERR_DECODE' && error.message.includes('not a shared array file'), path);
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a symlinked shared-array directory, a symlinked file, a FIFO, and a directory others may enter, without blocking', () => {
    const outside = mkdtempSync(join(tmpdir(), 'sg-not-shared-'));
    try {
      writeFileSync(join(outside, 'secret'), new Uint8Array(DEFAULT_BLOB_THRESHOLD));
      const linkedDir = join(outside, `${SHARED_DIR_PREFIX}link`);
      symlinkSync(outside, linkedDir);
      symlinkSync(join(outside, 'secret'), join(dir, 'linked-file'));
      execFileSync('mkfifo', [join(dir, 'fifo')]);
      const open = join(outside, `${SHARED_DIR_PREFIX}open`);
      mkdirSync(open, { mode: 0o755 });
      writeFileSync(join(open, 'file'), new Uint8Array(DEFAULT_BLOB_THRESHOLD));
      chmodSync(open, 0o755);
      for (const [path, why] of [[join(linkedDir, 'secret'), 'is not a directory'], [join(dir, 'linked-file'), 'ELOOP'], [join(dir, 'fifo'), 'not a regular file'], [join(open, 'file'), 'not 700']] as const) {
        const payload = encodeValue(new Uint8Array(DEFAULT_BLOB_THRESHOLD), DEFAULT_BLOB_THRESHOLD, { place: () => path });
        assert.throws(() => decodeValue(payload), (error: unknown) => error instanceof ProtocolError && error.message.includes('not a shared array file') && error.message.includes(why), path);
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('removeSharedDir removes only a private shared-array directory and its plain files, nothing else', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sg-test-shared-'));
    try {
      const good = mkdtempSync(join(parent, SHARED_DIR_PREFIX));
      writeFileSync(join(good, '0'), 'bytes');
      assert.equal(removeSharedDir(good), undefined);
      assert.equal(existsSync(good), false);

      const misnamed = join(parent, 'not-ours');
      mkdirSync(misnamed, { mode: 0o700 });
      assert.match(removeSharedDir(misnamed) ?? '', /not named as a shared-array directory/);
      const open = mkdtempSync(join(parent, SHARED_DIR_PREFIX));
      chmodSync(open, 0o755);
      assert.match(removeSharedDir(open) ?? '', /mode 755/);
      const nested = mkdtempSync(join(parent, SHARED_DIR_PREFIX));
      mkdirSync(join(nested, 'inner'));
      writeFileSync(join(nested, 'inner', 'keep'), 'not a shared array');
      assert.match(removeSharedDir(nested) ?? '', /was kept/);
      assert.equal(readFileSync(join(nested, 'inner', 'keep'), 'utf8'), 'not a shared array', 'nothing below it was touched');
      assert.ok(existsSync(misnamed) && existsSync(open));
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
