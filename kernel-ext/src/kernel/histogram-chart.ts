/**
 * Histogram results (`{ counts, edges }`) pooled into one and drawn as an inline
 * SVG bar chart: no browser-side JavaScript, so it renders in any frontend and
 * in saved notebooks.
 */
import { KernelError } from './errors.js';
import { escapeHtml, largest, type MimeBundle } from './html.js';

export interface Histogram {
  counts: number[];
  edges: number[];
}

/** The most bins a re-binned chart gets: each is an SVG bar, and the chart is only 420 px wide. */
export const MAX_BINS = 10_000;

/** Throws unless `bins` is absent or a whole number from 1 to MAX_BINS (a huge count would exhaust memory). */
export function checkBins(bins: number | undefined): void {
  if (bins === undefined || (Number.isInteger(bins) && bins >= 1 && bins <= MAX_BINS)) return;
  throw new KernelError('BAD_ARGUMENTS', `%chart: --bins wants a whole number from 1 to ${MAX_BINS}, not ${bins}`, {
    hint: 'Give the number of bars to draw, e.g. %chart --bins 50 EXPR; leave --bins out to keep the histograms\' own bins.',
  });
}

function toNumbers(v: unknown): number[] | undefined {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = Array.from(v as ArrayLike<unknown>);
    return a.every((x) => typeof x === 'number') ? (a as number[]) : undefined;
  }
  return undefined;
}

export function asHistogram(v: unknown): Histogram | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const counts = toNumbers((v as Record<string, unknown>)['counts']);
  const edges = toNumbers((v as Record<string, unknown>)['edges']);
  if (!counts || !edges || edges.length !== counts.length + 1 || counts.length === 0) return undefined;
  return { counts, edges };
}

/** The histograms in `value` (one, or an array of them; errors and holes are skipped). */
export function histogramsIn(value: unknown): Histogram[] {
  const one = asHistogram(value);
  if (one) return [one];
  if (!Array.isArray(value)) return [];
  return value.map(asHistogram).filter((h): h is Histogram => h !== undefined);
}

function sameEdges(hs: readonly Histogram[]): boolean {
  const first = hs[0]?.edges ?? [];
  return hs.every((h) => h.edges.length === first.length && h.edges.every((e, i) => e === first[i]));
}

/** Sums histograms; when their edges differ, each source bin's count goes to the target bin holding its centre. */
export function pool(hs: readonly Histogram[], bins?: number): Histogram {
  checkBins(bins);
  const first = hs[0];
  if (!first) throw new KernelError('NOT_CHARTABLE', 'there is no histogram to pool');
  if (sameEdges(hs) && (bins === undefined || bins === first.counts.length)) {
    const counts = first.counts.map((_, i) => hs.reduce((s, h) => s + (h.counts[i] ?? 0), 0));
    return { counts, edges: [...first.edges] };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hs) {
    lo = Math.min(lo, h.edges[0] ?? 0);
    hi = Math.max(hi, h.edges[h.edges.length - 1] ?? 0);
  }
  const n = bins ?? first.counts.length;
  const width = (hi - lo) / n || 1;
  const edges = Array.from({ length: n + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(n).fill(0);
  for (const h of hs) {
    h.counts.forEach((c, i) => {
      const centre = ((h.edges[i] ?? 0) + (h.edges[i + 1] ?? 0)) / 2;
      const k = Math.min(n - 1, Math.max(0, Math.floor((centre - lo) / width)));
      counts[k] = (counts[k] ?? 0) + c;
    });
  }
  return { counts, edges };
}

export function fmt(x: number): string {
  return Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(1) : String(Number(x.toFixed(2)));
}

export function histogramSvg(h: Histogram, title: string): string {
  const W = 480, H = 240, L = 48, R = 12, T = 28, B = 32;
  const max = largest(h.counts, 1);
  const pw = W - L - R, ph = H - T - B;
  const bw = pw / h.counts.length;
  const bars = h.counts
    .map((c, i) => {
      const bh = (ph * c) / max;
      return `<rect class="sg-bar" x="${(L + i * bw + 0.5).toFixed(1)}" y="${(T + ph - bh).toFixed(1)}" width="${Math.max(0.5, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="#1e88e5"><title>[${fmt(h.edges[i] ?? 0)}, ${fmt(h.edges[i + 1] ?? 0)}): ${c}</title></rect>`;
    })
    .join('');
  const lo = h.edges[0] ?? 0, hi = h.edges[h.edges.length - 1] ?? 0;
  const text = (x: number, y: number, s: string, anchor = 'middle') =>
    `<text x="${x}" y="${y}" text-anchor="${anchor}" font-family="sans-serif" font-size="11" fill="#333">${escapeHtml(s)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="sg-histogram" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    text(W / 2, 16, title) +
    bars +
    `<line x1="${L}" y1="${T + ph}" x2="${W - R}" y2="${T + ph}" stroke="#333"/>` +
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}" stroke="#333"/>` +
    text(L, H - 12, fmt(lo)) +
    text(W - R, H - 12, fmt(hi)) +
    text((L + W - R) / 2, H - 12, fmt((lo + hi) / 2)) +
    text(L - 4, T + 4, String(max), 'end') +
    text(L - 4, T + ph, '0', 'end') +
    `</svg>`
  );
}

export function chartBundle(value: unknown, options: { title?: string; bins?: number } = {}): MimeBundle {
  const hs = histogramsIn(value);
  if (!hs.length) {
    throw new KernelError('NOT_CHARTABLE', 'nothing to chart: expected { counts, edges } or an array of them', {
      hint: 'Chart the results of a histogram set, e.g. %chart await sg.waitForResult(h)',
    });
  }
  const pooled = pool(hs, options.bins);
  const total = pooled.counts.reduce((a, b) => a + b, 0);
  const title = options.title ?? `${hs.length} histogram${hs.length > 1 ? 's' : ''} pooled · ${total} samples`;
  const peak = largest(pooled.counts);
  return {
    'text/plain': `${title}: ${pooled.counts.length} bins over [${fmt(pooled.edges[0] ?? 0)}, ${fmt(pooled.edges[pooled.edges.length - 1] ?? 0)}], peak ${peak}`,
    'image/svg+xml': histogramSvg(pooled, title),
  };
}
