import type * as TypeScript from 'typescript';
import { ScatterGatherError } from './errors.js';

/**
 * TypeScript (or JavaScript) source to CommonJS that executors evaluate. Syntax
 * errors are reported here, with line and column, before anything is sent.
 */
export function compileModule(source: string, fileName: string): string {
  // Loaded on first use: the compiler takes a third of a second to load, and only install() needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TypeScript;
  const output = ts.transpileModule(source, {
    fileName: `${fileName}.ts`,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const text = errors.map((d) => {
      const where = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const at = where === undefined ? '' : `line ${where.line + 1}, column ${where.character + 1}: `;
      return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    }).join('\n');
    throw new ScatterGatherError('ERR_COMPILE', `the module does not compile, so nothing was installed:\n${text}`);
  }
  return output.outputText;
}
