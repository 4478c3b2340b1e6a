/** A FIFO of task ids that is cheap at both ends: `shift` moves an index instead of the array. */
export class TaskQueue {
  private items: number[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(id: number): void {
    this.items.push(id);
  }

  shift(): number | undefined {
    if (this.head >= this.items.length) return undefined;
    const id = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return id;
  }

  /** Puts `ids` back at the front, in their order: they were taken first, they go first again. */
  unshift(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.items = [...ids, ...this.items.slice(this.head)];
    this.head = 0;
  }

  removeWhere(predicate: (id: number) => boolean): void {
    this.items = this.items.slice(this.head).filter((id) => !predicate(id));
    this.head = 0;
  }
}
