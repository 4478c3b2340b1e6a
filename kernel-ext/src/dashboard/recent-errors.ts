import type { SetProgress } from '../client/api-types.js';
import { RemoteError } from '../client/remote-error.js';
import type { ErrorRow } from './snapshot-types.js';

const KEPT = 20;

interface Failure { id: number; at: number; set: number; index: number; generation: number; row?: ErrorRow }

/** The latest failed tasks; their errors (with the remote stacks) are read from the client's sets when first shown. */
export class RecentErrors {
  private failures: Failure[] = [];
  private nextId = 1;

  add(set: number, index: number, at: number, generation: number): void {
    this.failures.push({ id: this.nextId++, at, set, index, generation });
    if (this.failures.length > 2 * KEPT) this.failures = this.failures.slice(-KEPT);
  }

  /** The latest errors noted after `generation`. */
  after(generation: number, progress: (set: number) => SetProgress | undefined): ErrorRow[] {
    return this.failures.slice(-KEPT).filter((f) => f.generation > generation).map((f) => (f.row ??= describe(f, progress(f.set))));
  }
}

function describe({ id, at, set, index }: Failure, progress: SetProgress | undefined): ErrorRow {
  const error = progress?.results[index];
  if (!(error instanceof RemoteError)) return { id, at, set, index, server: '', pid: -1, name: 'Error', message: String(error), stack: '' };
  return { id, at, set, index, server: error.server, pid: error.pid, name: error.remoteName, message: error.message, stack: error.remoteStack ?? '' };
}
