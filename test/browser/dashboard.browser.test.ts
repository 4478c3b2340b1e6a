/**
 * The live dashboard in a real headless Chromium, against a real local cluster:
 * token or 403, every executor listed, a running set's count rising and its
 * task stream drawn, a failing task's error and stack, and nothing listening
 * after close(). A screenshot taken during the run stays in test-artifacts/browser/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { localCluster, type ScatterGather } from '@scattergather/kernel-ext';
import { launchChromium } from '../support/chromium';
import { REPO_ROOT } from '../support/jupyter-server';
import { waitUntil } from '../support/processes';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'browser');

async function doneCount(page: Page, set: number): Promise<number> {
  const text = await page.locator(`#sets tr[data-set="${set}"] td.done`).textContent({ timeout: 10_000 });
  return Number(/^(\d+)\//.exec(text ?? '')?.[1] ?? NaN);
}

describe('browser: the live dashboard', function () {
  this.timeout(120_000);
  let client: ScatterGather | undefined;
  let browser: Browser | undefined;

  before(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it('answers 403 without the token, serves the page with it, and stops answering after close()', async () => {
    client = await localCluster({ procs: 1 });
    await client.ready();
    const url = await client.dashboard();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    assert.equal(await client.dashboard(), url, 'one dashboard per client');
    const bare = url.slice(0, url.indexOf('?'));
    for (const refused of [bare, `${bare}?token=`, `${bare}?token=${'0'.repeat(48)}`, `${bare}events`, `${bare}dashboard.js`]) {
      assert.equal((await fetch(refused)).status, 403, refused);
    }
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>scattergather dashboard<\/title>/);
    await client.close();
    await assert.rejects(fetch(url), /fetch failed/);
  });

  it('shows every executor, a running set rising with its task stream, and a failing task with its stack', async () => {
    assert.ok(browser);
    client = await localCluster({ servers: 2, procs: 1 });
    await client.ready();
    const status = await client.status();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(20_000);
    await page.goto(await client.dashboard());
    await page.locator('#connection.live').waitFor();
    for (const { pid } of status.executors) await page.locator(`#executors tr[data-pid="${pid}"]`).waitFor();

    await client.install('export function pickyRoot(x: number): number { if (x < 0) throw new RangeError(`no real root of ${x}`); return Math.sqrt(x); }', { name: 'roots' });
    const failing = client.addJob([[[4]], [[-1]], [[9]]], { fn: 'pickyRoot' });
    const sleeps = client.addJob(Array.from({ length: 400 }, () => [[10]] as [number[]]), { fn: 'sleep' });
    await page.locator(`#sets tr[data-set="${sleeps.id}"] td.done`, { hasText: /^[1-9]\d*\// }).waitFor();
    const first = await doneCount(page, sleeps.id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await doneCount(page, sleeps.id);
    assert.ok(second > first, `the done count rose between two reads a second apart (${first} → ${second})`);
    assert.ok(second < 400 || first < 400);
    assert.ok(Number(await page.locator('#stream').getAttribute('data-bars')) > 0, 'the task stream has bars');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await client.waitForResult(failing);
    const error = page.locator('#errors .error', { hasText: 'RangeError' }).first();
    await error.waitFor();
    assert.match(await error.locator('summary').textContent() ?? '', /RangeError: no real root of -1 \(set 1 #1 · pid \d+ on tcp:\/\/127\.0\.0\.1:\d+/);
    assert.match(await error.locator('pre.stack').textContent() ?? '', /RangeError: no real root of -1\n\s+at .*pickyRoot/);
    await page.locator('#modules li', { hasText: /^roots pickyRoot$/ }).waitFor();
    await client.waitForResult(sleeps);
    await page.locator(`#sets tr[data-set="${sleeps.id}"] td.done`, { hasText: /^400\/400$/ }).waitFor();
    // What each server holds of kept values appears once there are any.
    assert.equal(await page.locator('#kept-panel').isHidden(), true);
    const put = await client.put(new Float64Array(1000));
    await page.locator('#kept td', { hasText: /^values: 1$/ }).waitFor({ timeout: 10_000 });
    assert.match(await page.locator('#kept').textContent() ?? '', new RegExp(`server: tcp://127\\.0\\.0\\.1:\\d+.*bytes: ${put.size}`));
    await page.close();
  });

  it('shows each executor\'s RSS, CPU and the task it runs', async () => {
    client = await localCluster({ procs: 2 });
    await client.ready();
    const h = client.addJob([[[1500]], [[1500]]], { fn: 'sleep' });
    const c = client;
    let executors = (await c.status()).executors;
    await waitUntil(async () => {
      executors = (await c.status()).executors;
      return executors.every((e) => e.busy && e.rss !== undefined && e.task !== undefined);
    }, 5000, 'every executor busy, with RSS and its task');
    for (const e of executors) {
      assert.ok((e.rss ?? 0) > 10 << 20, `an executor's RSS is more than 10 MiB (${e.rss})`);
      assert.ok((e.cpu ?? -1) >= 0 && (e.cpu ?? 9) < 1.5, `its CPU use is a fraction of a core (${e.cpu})`);
    }
    assert.deepEqual(executors.map((e) => e.task).sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0)), [{ set: h.id, index: 0 }, { set: h.id, index: 1 }]);
  });
});
