import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, unlink, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DIR_PREFIX, type SharedArrayWriter } from '@scattergather/protocol';

/** Bytes of released files kept for reuse: overwriting a file's pages costs about half of allocating new ones. */
const REUSE_BYTES = 256 * 1024 * 1024;

/** Every directory still open, removed if this process exits without closing them. */
const open = new Set<string>();
process.on('exit', () => {
  for (const dir of open) rmSync(dir, { recursive: true, force: true });
});

interface SharedFile { path: string; bytes: number }

/**
 * The client's shared arrays when every server is on this machine: big typed
 * arrays of a set's arguments are written once to files in a private (0700)
 * directory in memory (/dev/shm where there is one) and the executors read
 * them there. A set's files are released when its last result is in (a
 * retried task still finds its file until then), kept for reuse up to
 * REUSE_BYTES, and the directory goes on close.
 */
export class SharedArrayDir implements SharedArrayWriter {
  /** Its path: the controller removes it if this process dies without doing so. */
  readonly dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), SHARED_DIR_PREFIX));
  private readonly bySet = new Map<number, SharedFile[]>();
  private placing: SharedFile[] = [];
  private readonly free: SharedFile[] = [];
  private freeBytes = 0;
  private next = 0;

  constructor() {
    open.add(this.dir);
  }

  place(bytes: Uint8Array): string {
    const reused = this.free.pop();
    if (reused !== undefined) this.freeBytes -= reused.bytes;
    const path = reused?.path ?? join(this.dir, String(this.next++));
    const fd = openSync(path, reused === undefined ? 'wx' : 'r+', 0o600);
    try {
      writeSync(fd, bytes);
      if (reused !== undefined && reused.bytes > bytes.byteLength) ftruncateSync(fd, bytes.byteLength);
    } finally {
      closeSync(fd);
    }
    this.placing.push({ path, bytes: bytes.byteLength });
    return path;
  }

  /** The files placed since the last call belong to set `id`. */
  claim(id: number): void {
    if (this.placing.length > 0) this.bySet.set(id, this.placing);
    this.placing = [];
  }

  /** The set being encoded failed: the files placed for it are free again. */
  dropPlaced(): void {
    this.releaseFiles(this.placing);
    this.placing = [];
  }

  /** Set `id` is complete: its files are free again. */
  release(id: number): void {
    this.releaseFiles(this.bySet.get(id) ?? []);
    this.bySet.delete(id);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    open.delete(this.dir);
  }

  private releaseFiles(files: SharedFile[]): void {
    for (const file of files) {
      if (this.freeBytes + file.bytes <= REUSE_BYTES) {
        this.free.push(file);
        this.freeBytes += file.bytes;
      } else {
        // Off this thread: freeing a big file's pages takes a while.
        unlink(file.path, () => undefined);
      }
    }
  }
}
