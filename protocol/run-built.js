'use strict';
// Plain CommonJS, committed rather than built (the packages are CommonJS): it must run, and say what to do,
// before anything has been built.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/**
 * What every committed bin shim does: run its command's build, `<package>/dist/bin/<name>.js`.
 * npm links bins before `prepare` builds dist/, so a bin that pointed into dist/ would not be linked at all.
 */
module.exports = function runBuilt(shimDir, name) {
  const entry = join(shimDir, '..', 'dist', 'bin', `${name}.js`);
  if (!existsSync(entry)) {
    process.stderr.write(`${name}: ${entry} is missing: scattergather is not built. Run \`npm run build\` in its checkout.\n`);
    process.exit(1);
  }
  require(entry);
};
