import { existsSync } from 'node:fs';
import type { ScatterGather } from '@scattergather/kernel-ext';
import type { Browser } from 'playwright-core';
import type { BenchCase } from '../bench-case.js';
import { descendantsCpuMs } from '../process-cpu.js';
import { nowMs } from '../timing.js';

/** Debian's Chromium, driven by playwright-core (no browser download). */
const CHROMIUM = '/usr/bin/chromium';
const PAGE_TIMEOUT_MS = 20_000;
/** A page's first seconds cost more (parsing, first layout): the figure is for a page that has been open a while. */
const SETTLE_MS = 3000;

/**
 * `inner`, measured while the client's dashboard is open in headless Chromium:
 * each run opens the page, waits until it shows the cluster and has settled,
 * runs `inner` and closes the page, so the other cases never run with a page open.
 * Adds `browserCpuMsPerSec`: a measure of the page's cost that the machine's noise blurs less.
 */
export function withDashboardOpen(inner: BenchCase, sg: ScatterGather, key: string): BenchCase {
  let browser: Browser | undefined;
  let url = '';
  return {
    key,
    async setup() {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], timeout: PAGE_TIMEOUT_MS });
      url = await sg.dashboard();
      await inner.setup();
    },
    async run() {
      const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 1000 } });
      try {
        await page.goto(url, { timeout: PAGE_TIMEOUT_MS });
        await page.locator('#executors tr[data-pid]').first().waitFor({ timeout: PAGE_TIMEOUT_MS });
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const [cpuBefore, started] = [descendantsCpuMs(process.pid, /chrom/i), nowMs()];
        const metrics = await inner.run();
        // What the browser itself took while the set ran, in ms of CPU per second: its share of the cores.
        return { ...metrics, browserCpuMsPerSec: (descendantsCpuMs(process.pid, /chrom/i) - cpuBefore) / ((nowMs() - started) / 1000) };
      } finally {
        await page.close();
      }
    },
    async close() {
      await inner.close();
      await browser?.close();
    },
  };
}
