/** `%cluster status`: kept values in a line, and which sets feed which as a small text graph. */
import type { ClusterStatus } from '../client/api-types.js';

/** 'kept: 12 values, 1.2 MB on 2 servers', or '' when nothing is kept. */
export function keptLine(s: ClusterStatus): string {
  if (s.refs.length === 0) return '';
  const bytes = s.refs.reduce((n, r) => n + Math.max(0, r.size), 0);
  const servers = new Set(s.refs.flatMap((r) => r.servers));
  return `kept: ${s.refs.length} value(s), ${formatBytes(bytes)} on ${servers.size} server(s)`;
}

/** One line per source: 'set 1 ──▶ set 2, set 3' ('put p1' for a put value); [] when no set takes references. */
export function feedLines(s: ClusterStatus): string[] {
  const bySource = new Map<string, number[]>();
  for (const { from, to } of s.feeds) {
    const targets = bySource.get(from) ?? [];
    targets.push(to);
    bySource.set(from, targets);
  }
  return [...bySource].map(([from, to]) => `${nameOf(from)} ──▶ ${to.map((t) => `set ${t}`).join(', ')}`);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TiB'}`;
}

function nameOf(source: string): string {
  return source.startsWith('s') ? `set ${source.slice(1)}` : `put ${source}`;
}
