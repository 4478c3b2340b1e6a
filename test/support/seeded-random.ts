/** A small seeded PRNG (mulberry32), so a fuzz run can be repeated exactly from its seed. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A random plain value a few levels deep: what "valid MessagePack of the wrong shape" is made of. */
  value(depth = 0): unknown {
    const kind = this.int(depth > 2 ? 5 : 8);
    switch (kind) {
      case 0: return this.int(1000) - 500;
      case 1: return this.next() < 0.5;
      case 2: return null;
      case 3: return this.bytes(this.int(8)).toString('hex');
      case 4: return this.next() * 1e6;
      case 5: return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      case 6: return this.bytes(this.int(16));
      default: return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.pick(['req', 'ids', 'tasks', 'fns', 'name', 'code', 'x']), this.value(depth + 1)]));
    }
  }
}
