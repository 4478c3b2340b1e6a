/**
 * Results that share a shape, as table rows for a compact `%gather`: histograms
 * (counts, range and a one-line bar chart), objects with the same keys, or plain
 * values. Anything else has no table and is listed as it is.
 */
import { asHistogram, fmt, type Histogram } from './histogram-chart.js';
import { largest } from './html.js';

export interface ResultTable {
  kind: 'histogram' | 'record' | 'value';
  header: string[];
  /** One row of cells per value, in the order given. */
  row(value: unknown): string[];
}

const BARS = '▁▂▃▄▅▆▇█';

/** The counts as a one-line bar chart, scaled to the tallest bin. */
export function sparkline(counts: readonly number[]): string {
  const max = largest(counts, 1);
  return counts.map((c) => BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1)))] ?? ' ').join('');
}

type Scalar = number | string | boolean | bigint | null | undefined;

function isScalar(v: unknown): v is Scalar {
  return v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');
}

export function showScalar(v: Scalar): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v === 'bigint' ? `${v}n` : String(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function histogramTable(): ResultTable {
  return {
    kind: 'histogram',
    header: ['counts', 'chart', 'range'],
    row: (v) => {
      const h = asHistogram(v) as Histogram;
      return [h.counts.join(' '), sparkline(h.counts), `[${fmt(h.edges[0] ?? 0)}, ${fmt(h.edges[h.edges.length - 1] ?? 0)}]`];
    },
  };
}

function recordTable(keys: string[]): ResultTable {
  return { kind: 'record', header: keys, row: (v) => keys.map((k) => showScalar((v as Record<string, Scalar>)[k])) };
}

const sameKeys = (keys: string): ((v: unknown) => boolean) => (v) =>
  isPlainObject(v) && Object.keys(v).join('\0') === keys && Object.values(v).every(isScalar);

/** The table that fits every one of `values` (at least one), if they share a shape. */
export function tableFor(values: readonly unknown[]): ResultTable | undefined {
  const [first] = values;
  if (values.length === 0) return undefined;
  if (values.every((v) => asHistogram(v) !== undefined)) return histogramTable();
  if (values.every(isScalar)) return { kind: 'value', header: ['value'], row: (v) => [showScalar(v as Scalar)] };
  if (isPlainObject(first) && values.every(sameKeys(Object.keys(first).join('\0')))) return recordTable(Object.keys(first));
  return undefined;
}
