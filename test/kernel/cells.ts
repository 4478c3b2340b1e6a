/** Cell helpers for the kernel suites: run a cell, expect it to pass or to fail cleanly. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { plain, type CellRun, type TestKernel } from '../support/jupyter-kernel';
import type { JupyterServer } from '../support/jupyter-server';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a cell (the next one may follow at once, even after an error: the kernel has no abort window). */
export function run(kernel: TestKernel, code: string, timeoutMs = 30_000): Promise<CellRun> {
  return kernel.execute(code, timeoutMs);
}

/**
 * Sends a cell and resolves, with the run still pending, once the kernel has
 * begun it (its execute_input) and `settleMs` more have passed: a test that
 * interrupts the cell then reaches it, however late a loaded kernel took it up.
 */
export async function runStarted(kernel: TestKernel, code: string, settleMs: number): Promise<{ pending: Promise<CellRun> }> {
  const begun = (msgs: readonly { header: { msg_type: string }; content: unknown }[]): number =>
    msgs.filter((m) => m.header.msg_type === 'execute_input' && (m.content as { code?: string }).code === code).length;
  const before = begun(kernel.iopub);
  const pending = run(kernel, code);
  await kernel.waitForIopub((msgs) => begun(msgs) > before, 20_000, `the kernel to begin ${JSON.stringify(code)}`);
  await sleep(settleMs);
  return { pending };
}

export async function ok(kernel: TestKernel, code: string, timeoutMs?: number): Promise<CellRun> {
  const r = await run(kernel, code, timeoutMs);
  assert.equal(r.status, 'ok', `cell failed: ${code}\n${r.stderr}${JSON.stringify(r.errors)}`);
  assert.deepEqual(r.errors, []);
  return r;
}

/** The cell fails, and shows no stack trace of the kernel's own code. */
export async function fails(kernel: TestKernel, code: string): Promise<CellRun> {
  const r = await run(kernel, code);
  assert.equal(r.status, 'error', `cell should fail: ${code}`);
  assert.ok(!/ at .*\.js:\d+/.test(r.stderr + JSON.stringify(r.errors)), `internal stack shown: ${r.stderr}${JSON.stringify(r.errors)}`);
  return r;
}

export const resultText = (r: CellRun) => plain(r.results[r.results.length - 1]);

/** A suite's teardown: the kernel's cluster, the kernel, the Jupyter server, the notebook directory. */
export async function tearDown(kernel: TestKernel | undefined, server: JupyterServer | undefined, rootDir: string | undefined): Promise<void> {
  if (kernel) await kernel.execute('%cluster die', 10_000).catch(() => undefined);
  await kernel?.shutdown();
  await server?.stop();
  if (rootDir !== undefined) fs.rmSync(rootDir, { recursive: true, force: true });
}
