/** `%cluster dashboard`: the page's URL as a link, or (`--inline`) the live page itself in an iframe. */
import { hostname } from 'node:os';
import { escapeHtml, type MimeBundle } from './html.js';

const INLINE_HEIGHT_PX = 900;

export function dashboardBundle(url: string, inline: boolean): MimeBundle {
  const link = `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(url)}</a>`;
  const { port } = new URL(url);
  const text = `dashboard: ${url}\n(live while this cluster runs; from another machine: ssh -L ${port}:127.0.0.1:${port} ${hostname()}, then open the same URL there)`;
  if (!inline) return { 'text/plain': text, 'text/html': `<div class="sg-dashboard-link">dashboard: ${link}</div>` };
  const frame = `<iframe class="sg-dashboard" src="${escapeHtml(url)}" title="scattergather dashboard" style="width:100%;height:${INLINE_HEIGHT_PX}px;border:1px solid #e2e5ea;border-radius:6px"></iframe>`;
  return { 'text/plain': text, 'text/html': `${frame}<div style="font-size:12px">open in a tab: ${link}</div>` };
}
