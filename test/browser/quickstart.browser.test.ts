/**
 * A real browser: headless Chromium (Debian's, driven by playwright-core with
 * its executablePath, no browser download) opens quickstart.ipynb in the classic
 * Notebook UI, runs all cells from the menu, and sees the progress bar reach
 * 100 % and the chart drawn. The screenshot stays in test-artifacts/browser/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureChromium, launchChromium } from '../support/chromium';
import { REPO_ROOT, startJupyterServer, type JupyterServer } from '../support/jupyter-server';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'browser');

describe('browser: quickstart.ipynb in the classic Notebook UI', function () {
  this.timeout(120_000);
  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    ensureChromium();
    // A copy, so the UI's autosave never touches the committed notebook; node_modules resolves as in the repo.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-browser-'));
    fs.copyFileSync(path.join(REPO_ROOT, 'notebooks', 'quickstart.ipynb'), path.join(dir, 'quickstart.ipynb'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    server = await startJupyterServer({ rootDir: dir, app: 'notebook' });
    browser = await launchChromium();
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs all cells: the progress bar reaches 100 % and the chart is drawn', async () => {
    assert.ok(browser && server);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(60_000);
    await page.goto(`${server.baseUrl}notebooks/quickstart.ipynb?token=${server.token}`);
    await page.waitForFunction(() => {
      const nb = (globalThis as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook;
      return nb?.kernel?.is_connected() === true;
    });
    await page.click('#celllink');
    await page.click('#run_all_cells');
    await page.waitForFunction(() => {
      type Cell = { cell_type: string; input_prompt_number?: number | string };
      const nb = (globalThis as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook;
      return nb.get_cells().every((c) => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number');
    }, undefined, { timeout: 90_000, polling: 200 });
    await page.locator('.sg-progress-percent', { hasText: '100%' }).first().waitFor({ timeout: 20_000 });
    const bars = await page.locator('.sg-progress').allTextContents();
    assert.ok(bars.some((t) => /100% set 1 histogram: 100\/100 .* complete/.test(t)), bars.join('\n'));
    const svg = page.locator('svg.sg-histogram');
    await svg.first().waitFor();
    // %gather's compact view draws the set pooled beside its table; %chart draws it again.
    assert.equal(await svg.count(), 2);
    for (const chart of await svg.all()) assert.equal(await chart.locator('rect.sg-bar').count(), 10);
    assert.equal(await page.locator('.sg-results table.sg-table tbody tr').count(), 10, "%gather's table shows the first 10 results");
    assert.equal(await page.locator('.output_error').count(), 0, 'no error output');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('.sg-progress').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'quickstart-progress.png') });
    await svg.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'quickstart-chart.png') });
    await page.close();
  });
});
