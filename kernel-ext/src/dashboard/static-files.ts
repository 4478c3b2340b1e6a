import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The page's own files, shipped in the package beside dist/. */
const PAGE_DIR = join(__dirname, '..', '..', 'dashboard');

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** URL path → file: the page's files, and uPlot's from node_modules (nothing is fetched from the internet). */
const FILES: Record<string, () => string> = {
  '/': () => join(PAGE_DIR, 'index.html'),
  '/dashboard.css': () => join(PAGE_DIR, 'dashboard.css'),
  '/dashboard.js': () => join(PAGE_DIR, 'dashboard.js'),
  '/panels.js': () => join(PAGE_DIR, 'panels.js'),
  '/task-stream.js': () => join(PAGE_DIR, 'task-stream.js'),
  '/charts.js': () => join(PAGE_DIR, 'charts.js'),
  '/uPlot.iife.min.js': () => require.resolve('uplot/dist/uPlot.iife.min.js'),
  '/uPlot.min.css': () => require.resolve('uplot/dist/uPlot.min.css'),
};

export interface StaticFile { type: string; body: Buffer }

/** Reads every file once; the page's `{{TOKEN}}` becomes the access token, so its own requests carry it. */
export function loadStaticFiles(token: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const [route, locate] of Object.entries(FILES)) {
    const path = locate();
    const text = readFileSync(path, 'utf8');
    const type = TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    files.set(route, { type, body: Buffer.from(route === '/' ? text.replaceAll('{{TOKEN}}', token) : text) });
  }
  return files;
}
