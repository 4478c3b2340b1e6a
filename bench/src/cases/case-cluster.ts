import type { ScatterGather } from '@scattergather/kernel-ext';
import { closeCaseCluster, startBenchCluster, type BenchCluster } from './bench-cluster.js';

/** Where a case runs: the bench's shared cluster (after the other cases' work), or a localCluster of its own. */
export type CaseCluster = { shared: ScatterGather } | { own: { servers: number; procs: number } };

/** The client of a case's cluster: `open` in its setup, `sg` in its runs, `close` in its close. */
export class CaseClusterHandle {
  private cluster: BenchCluster | undefined;

  constructor(private readonly where: CaseCluster) {}

  async open(): Promise<void> {
    if ('own' in this.where) this.cluster = await startBenchCluster(this.where.own);
  }

  get sg(): ScatterGather {
    if ('shared' in this.where) return this.where.shared;
    if (this.cluster === undefined) throw new Error('the case\'s own cluster is not started (setup failed?)');
    return this.cluster.sg;
  }

  async close(): Promise<void> {
    if (this.cluster !== undefined) await closeCaseCluster(this.cluster);
    this.cluster = undefined;
  }
}
