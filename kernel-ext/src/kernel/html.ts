/** Small helpers for the kernel's HTML views (outputs must render without browser-side JavaScript). */
export type MimeBundle = Record<string, string>;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '–';
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  if (perSecond >= 10) return `${Math.round(perSecond)}/s`;
  return `${perSecond.toFixed(1)}/s`;
}

/** The largest of `xs`, at least `floor`, by a loop: Math.max(...xs) overflows the call stack past ~120k values. */
export function largest(xs: readonly number[], floor = -Infinity): number {
  let max = floor;
  for (const x of xs) max = Math.max(max, x);
  return max;
}

/** A plain-text table with aligned columns. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => largest(rows.map((r) => (r[i] ?? '').length), h.length));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function htmlTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, caption?: string): string {
  const th = header.map((h) => `<th style="text-align:left;padding:2px 8px">${escapeHtml(h)}</th>`).join('');
  const trs = rows
    .map((r) => `<tr>${r.map((c) => `<td style="text-align:left;padding:2px 8px">${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  const cap = caption ? `<caption style="text-align:left;font-weight:bold">${escapeHtml(caption)}</caption>` : '';
  return `<table class="sg-table" style="border-collapse:collapse">${cap}<thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}
