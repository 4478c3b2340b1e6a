import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Live heap (after a forced full GC) of the processes a client starts, through
 * gc-probe.js preloaded into them: `environment()` is the SG_NODE_ARGS and
 * SG_GC_PROBE_FILE to start them with; `measure(pid)` asks one process.
 */
export class HeapAfterGc {
  private readonly dir = mkdtempSync(join(tmpdir(), 'sg-gc-probe-'));
  private readonly file = join(this.dir, 'heap.log');

  environment(): Record<string, string> {
    return { SG_NODE_ARGS: `--expose-gc --require ${join(__dirname, 'gc-probe.js')}`, SG_GC_PROBE_FILE: this.file };
  }

  /** Heap used in MiB after a full GC in `pid` (NaN when it does not answer within 5 s). */
  async measure(pid: number): Promise<number> {
    const before = this.lines(pid).length;
    process.kill(pid, 'SIGUSR2');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const lines = this.lines(pid);
      if (lines.length > before) return Number(lines.at(-1)?.split(' ')[1]) / 2 ** 20;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return NaN;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private lines(pid: number): string[] {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      // nothing measured yet
    }
    return text.split('\n').filter((line) => line.startsWith(`${pid} `));
  }
}
