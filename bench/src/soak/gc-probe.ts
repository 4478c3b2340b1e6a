/**
 * Preloaded (node -r) into the controller and worker server during the soak
 * only, with --expose-gc: on SIGUSR2 it runs a full GC and appends one line
 * `pid heapUsed rss` (bytes) to $SG_GC_PROBE_FILE. What is still on the heap
 * after a full GC is live; what RSS holds beyond it is the engine's to keep.
 */
import { appendFileSync } from 'node:fs';

const file = process.env['SG_GC_PROBE_FILE'];
const gc = (globalThis as { gc?: () => void }).gc;
if (file !== undefined && gc !== undefined) {
  process.on('SIGUSR2', () => {
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    appendFileSync(file, `${process.pid} ${heapUsed} ${rss}\n`);
  });
}
