#!/usr/bin/env node
// npm run pack:worker: one tarball that installs `sg-worker` on a machine with only Node and npm,
//   npm install -g ./dist-pack/scattergather-worker-server-0.1.0.tgz
// It is the worker-server package with the protocol package bundled inside (bundleDependencies), staged
// in a temporary directory from the built dist/ folders; zeromq, pino and commander come from npm as usual.
// Prints the tarball's path.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist-pack');
const readManifest = (dir) => JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));

/** Copies what a package runs from (its manifest, committed bin shims and built dist/, without source maps) into `to`. */
function stagePackage(dir, to, manifest) {
  for (const part of ['bin', 'dist', 'run-built.js']) {
    const from = path.join(root, dir, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(to, part), { recursive: true, filter: (file) => !file.endsWith('.map') });
  }
  fs.writeFileSync(path.join(to, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

const protocol = readManifest('protocol');
const worker = readManifest('worker-server');
if (!fs.existsSync(path.join(root, 'worker-server', 'dist', 'bin', 'sg-worker.js'))) {
  throw new Error('worker-server is not built: run `npm run build` first (npm run pack:worker does)');
}
const { private: _workspaceOnly, ...published } = worker;
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-pack-worker-'));
try {
  stagePackage('worker-server', stage, {
    ...published,
    engines: readManifest('.').engines,
    files: ['bin', 'dist'],
    // The bundled protocol's own dependencies move up here: npm counts the dependencies of a bundled package
    // as bundled too, and would install them as empty directories.
    dependencies: { ...protocol.dependencies, ...worker.dependencies },
    bundleDependencies: [protocol.name],
  });
  stagePackage('protocol', path.join(stage, 'node_modules', protocol.name), { ...protocol, dependencies: {} });
  fs.mkdirSync(outDir, { recursive: true });
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' }));
  console.log(path.join(outDir, packed.filename));
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
