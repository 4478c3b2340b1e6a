import { setOfRefId } from '@scattergather/protocol';

/** Which sets (and put values) feed which sets through references: a small graph for status. */
export class FeedGraph {
  private readonly edges_ = new Map<string, { from: string; to: number }>();

  /** Set `to` takes references `refs`. */
  note(to: number, refs: Iterable<string>): void {
    for (const ref of refs) {
      const set = setOfRefId(ref);
      const from = set === undefined ? ref : `s${set}`;
      this.edges_.set(`${from}>${to}`, { from, to });
    }
  }

  edges(): Array<{ from: string; to: number }> {
    return [...this.edges_.values()];
  }
}
