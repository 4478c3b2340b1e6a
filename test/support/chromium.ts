import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from './jupyter-server';

/** Debian's Chromium, driven by playwright-core through its executablePath (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's Chromium when it is missing (as root), or fails saying the one command to run. */
export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  const r = spawnSync('sh', [path.join(REPO_ROOT, 'scripts', 'ensure-jupyter.sh')], { stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
}

/** A headless Chromium; close it in after/afterEach. */
export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], timeout: 30_000 });
}
