import { createHash } from 'node:crypto';
import type * as TypeScript from 'typescript';

/**
 * The module name of a `%%remote` cell without `--name`: the same each time
 * the cell runs, so running it again replaces its module on the executors
 * instead of adding one. It is made of the cell's sorted export names (what
 * identifies the cell to its user); a cell exporting nothing is named by a
 * hash of its source.
 */
export function remoteModuleName(source: string): string {
  const names = exportNames(source);
  if (names.length > 0) return `remote:${names.join(',')}`;
  return `remote:${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
}

function exportNames(source: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TypeScript;
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.ES2022, false);
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    } else if (ts.isExportAssignment(statement)) {
      names.add('default');
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const name of declaredNames(ts, statement)) names.add(name);
    }
  }
  return [...names].sort();
}

function declaredNames(ts: typeof TypeScript, statement: TypeScript.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  const name = (statement as { name?: TypeScript.Node }).name;
  return name !== undefined && ts.isIdentifier(name) ? [name.text] : [];
}
