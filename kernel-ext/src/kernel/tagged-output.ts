/** Live output of a set's tasks as one stream, each line tagged with its task's index (chunks may end mid-line). */
export class TaggedOutput {
  private readonly midLine = new Set<number>();

  tag(index: number, text: string): string {
    let out = '';
    for (const piece of text.split(/(?<=\n)/)) {
      if (!this.midLine.has(index)) out += `[task ${index}] `;
      out += piece;
      if (piece.endsWith('\n')) this.midLine.delete(index);
      else this.midLine.add(index);
    }
    return out;
  }
}
