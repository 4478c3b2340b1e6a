export interface Histogram {
  counts: number[];
  edges: number[];
}

/** Re-bins histograms with different edges onto common ones, by bin centre, so they can be added. */
export function poolHistograms(histograms: readonly Histogram[], bins: number): Histogram {
  const lo = Math.min(...histograms.map((h) => h.edges[0] ?? Infinity));
  const hi = Math.max(...histograms.map((h) => h.edges.at(-1) ?? -Infinity));
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const h of histograms) {
    h.counts.forEach((count, i) => {
      const centre = ((h.edges[i] as number) + (h.edges[i + 1] as number)) / 2;
      const bin = Math.min(bins - 1, Math.max(0, Math.floor((centre - lo) / width)));
      counts[bin] = (counts[bin] as number) + count;
    });
  }
  return { counts, edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width) };
}

/** One line per bin: its range, a bar scaled to `width` characters, and its count. */
export function drawHistogram({ counts, edges }: Histogram, width = 50): string {
  const most = Math.max(1, ...counts);
  return counts.map((count, i) => {
    const range = `${(edges[i] as number).toFixed(2).padStart(6)} … ${(edges[i + 1] as number).toFixed(2).padStart(6)}`;
    return `  ${range} │${'█'.repeat(Math.round((count / most) * width)).padEnd(width)} ${count}`;
  }).join('\n');
}
