/** Every notebook in notebooks/ runs cell by cell on the kernel without an error output. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, startJupyterServer, type JupyterServer } from '../support/jupyter-server';
import { TestKernel } from '../support/jupyter-kernel';

const NOTEBOOKS = path.join(REPO_ROOT, 'notebooks');

interface Notebook {
  metadata: { kernelspec?: { name?: string } };
  cells: Array<{ cell_type: string; source: string | string[] }>;
}

describe('kernel: the notebooks in notebooks/ run cell by cell', function () {
  this.timeout(120_000);
  let server: JupyterServer;
  const files = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();

  before(async () => {
    // The server's root is notebooks/, so kernels start there, as they do for users.
    server = await startJupyterServer({ rootDir: NOTEBOOKS });
  });
  after(async () => {
    await server?.stop();
  });

  it('has the quickstart and the code-migration notebooks', () => {
    assert.ok(files.includes('quickstart.ipynb') && files.includes('code-migration.ipynb'), files.join(', '));
  });

  for (const file of files) {
    it(`${file} runs without error output`, async () => {
      const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), 'utf8')) as Notebook;
      assert.equal(nb.metadata.kernelspec?.name, 'scattergather');
      const kernel = await TestKernel.start(server);
      try {
        for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
          const code = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
          const r = await kernel.execute(code, 60_000);
          assert.equal(r.status, 'ok', `cell failed:\n${code}\n${r.stderr}${JSON.stringify(r.errors)}`);
          assert.deepEqual(r.errors, [], code);
          assert.equal(r.stderr, '', code);
        }
      } finally {
        await kernel.execute('%cluster die').catch(() => undefined);
        await kernel.shutdown();
      }
    });
  }
});
