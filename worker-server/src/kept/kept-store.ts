import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makePrivateDir, Payload } from '@scattergather/protocol';
import { WorkerServerError } from '../errors.js';

export interface KeptStoreOptions {
  /** Bytes kept in memory; past it the oldest values move to disk. */
  memoryBytes: number;
  /** Bytes spilled to disk at most (0: none); past it a new value is refused. */
  diskBytes: number;
}

interface Entry {
  size: number;
  payload: Payload | undefined;
  /** Where it was spilled, and the lengths of its body and blobs there. */
  file?: string;
  lengths?: number[];
  /** Being written to disk now. */
  spilling?: boolean;
}

/** Default budgets: 1 GiB in memory, 16 GiB on disk. */
export const DEFAULT_KEEP_BYTES = 1024 ** 3;
export const DEFAULT_SPILL_BYTES = 16 * 1024 ** 3;

/**
 * Kept results and put values, by owner (a controller's scope) and reference
 * id. Memory is bounded: past the budget, the oldest values are written to a
 * private (0700) directory on local disk and read back when asked for; past
 * the disk budget too, a new value is refused with an error saying what to raise.
 */
export class KeptStore {
  private readonly entries = new Map<string, Entry>();
  private inMemory = 0;
  private onDisk = 0;
  private spillDir: ReturnType<typeof makePrivateDir> | undefined;
  private nextFile = 1;

  constructor(
    private readonly options: KeptStoreOptions,
    private readonly onDiskError: (error: Error) => void,
    /** Hears the keys of values released or dropped with their owner (the executors' decoded copies go too). */
    private readonly onDropped: (keys: string[]) => void = () => undefined,
  ) {}

  has(owner: string, ref: string): boolean {
    return this.entries.has(keyOf(owner, ref));
  }

  /** Keeps `payload` as `ref` of `owner` and returns its size; throws when neither memory nor disk has room. */
  put(owner: string, ref: string, payload: Payload): number {
    const key = keyOf(owner, ref);
    this.delete(key);
    const size = sizeOf(payload);
    if (this.inMemory + this.onDisk + size > this.options.memoryBytes + this.options.diskBytes) {
      throw new WorkerServerError('ERR_KEEP_FULL', `this worker server keeps at most ${this.options.memoryBytes} bytes in memory and ${this.options.diskBytes} on disk, and a value of ${size} bytes does not fit; release() kept values you no longer need, or start sg-worker with a larger --keep-bytes / --spill-bytes`);
    }
    this.entries.set(key, { size, payload });
    this.inMemory += size;
    // Written to disk in the background; meanwhile it is read from memory.
    if (this.inMemory > this.options.memoryBytes) void this.spillOver().catch((error: Error) => this.onDiskError(error));
    return size;
  }

  get(owner: string, ref: string): Promise<Payload | undefined> {
    return this.getKey(keyOf(owner, ref));
  }

  /**
   * The value under a key as `localKeyOf` makes them (what executors ask for). A spilled one whose file cannot
   * be read (released meanwhile, or the disk failed) is not held: its asker is told so, not left waiting.
   */
  async getKey(key: string): Promise<Payload | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.payload !== undefined) return entry.payload;
    const bytes = await readFile(entry.file as string).then((read) => new Uint8Array(read), (error: Error) => {
      if (this.entries.has(key)) this.onDiskError(error);
      return undefined;
    });
    if (bytes === undefined) return undefined;
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const length of entry.lengths as number[]) {
      parts.push(bytes.subarray(at, at + length));
      at += length;
    }
    return new Payload(parts[0] as Uint8Array, parts.slice(1));
  }

  /** Bytes of `owner`'s `ref`; 0 when not held. */
  sizeOf(owner: string, ref: string): number {
    return this.entries.get(keyOf(owner, ref))?.size ?? 0;
  }

  release(owner: string, ref: string): void {
    const key = keyOf(owner, ref);
    if (this.delete(key)) this.onDropped([key]);
  }

  /** Forgets every value of `owner` (its controller said goodbye). */
  dropOwner(owner: string): void {
    const prefix = `${owner}/`;
    const dropped: string[] = [];
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix) && this.delete(key)) dropped.push(key);
    if (dropped.length > 0) this.onDropped(dropped);
  }

  /** Bytes held in memory and on disk. */
  get bytes(): { memory: number; disk: number } {
    return { memory: this.inMemory, disk: this.onDisk };
  }

  close(): void {
    this.spillDir?.remove();
  }

  private async spillOver(): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (this.inMemory <= this.options.memoryBytes) return;
      if (entry.payload === undefined || entry.spilling === true) continue;
      await this.spill(key, entry);
    }
  }

  private async spill(key: string, entry: Entry): Promise<void> {
    const payload = entry.payload as Payload;
    this.spillDir ??= makePrivateDir('kept');
    const file = join(this.spillDir.dir, String(this.nextFile++));
    entry.spilling = true;
    await writeFile(file, [payload.body, ...payload.blobs], { mode: 0o600 });
    entry.spilling = false;
    // Released while it was being written: the file goes too.
    if (this.entries.get(key) !== entry) return void rm(file, { force: true });
    entry.file = file;
    entry.lengths = [payload.body.byteLength, ...payload.blobs.map((b) => b.byteLength)];
    entry.payload = undefined;
    this.inMemory -= entry.size;
    this.onDisk += entry.size;
  }

  /** Deletes `key`'s value; false when there was none. */
  private delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    if (entry.payload !== undefined) this.inMemory -= entry.size;
    else {
      this.onDisk -= entry.size;
      if (entry.file !== undefined) void rm(entry.file, { force: true });
    }
    return true;
  }
}

/** The key of `owner`'s `ref` in this store: what a task's arguments carry in place of the reference on its way to an executor. */
export function keyOf(owner: string, ref: string): string {
  return `${owner}/${ref}`;
}

function sizeOf(payload: Payload): number {
  let size = payload.body.byteLength;
  for (const blob of payload.blobs) size += blob.byteLength;
  return size;
}
