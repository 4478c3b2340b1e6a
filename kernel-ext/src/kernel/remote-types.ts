/**
 * The types of a `%%remote` module, by TypeScript's declaration emit: its .d.ts
 * text and the names of its exported functions. The standard library's files
 * are parsed once per kernel and reused.
 */
import type * as TypeScript from 'typescript';

export interface ModuleTypes {
  /** The module's declaration file. */
  dts: string;
  /** Its exports whose type can be called. */
  functions: string[];
}

const FILE = '/sg-remote/module.ts';
const libFiles = new Map<string, TypeScript.SourceFile>();

export function moduleTypes(source: string): ModuleTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TypeScript;
  const options: TypeScript.CompilerOptions = {
    declaration: true, emitDeclarationOnly: true, strict: true, skipLibCheck: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ['lib.es2023.d.ts'], types: [],
  };
  const host = ts.createCompilerHost(options);
  const readLib = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => {
    if (name === FILE) return ts.createSourceFile(name, source, version);
    let lib = libFiles.get(name);
    if (lib === undefined) {
      lib = readLib(name, version, onError);
      if (lib !== undefined) libFiles.set(name, lib);
    }
    return lib;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === FILE || fileExists(name);
  let dts = '';
  host.writeFile = (_name, text) => {
    dts = text;
  };
  const program = ts.createProgram({ rootNames: [FILE], options, host });
  program.emit();
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(FILE);
  const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
  const exports = module === undefined ? [] : checker.getExportsOfModule(module);
  const functions = exports
    .filter((s) => file !== undefined && checker.getTypeOfSymbolAtLocation(s, file).getCallSignatures().length > 0)
    .map((s) => s.name);
  return { dts, functions };
}
