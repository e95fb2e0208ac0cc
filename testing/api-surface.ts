/**
 * The public API of a package as text, for the API snapshot tests
 * (packages/<name>/test/api.test.ts): every export of every entry point in
 * its package.json `exports`, sorted, with its kind and, for functions and
 * classes, its signatures; for the classes named, every public member with
 * its signature and the fields of its parameter and result types.
 *
 * Read by the TypeScript compiler on source (the `dev-source` condition), and
 * held against what the entry point exports at run time, so a value export
 * cannot go missing from either view.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const FORMAT =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.WriteArrayAsGenericType |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;

interface EntryPoint {
  /** The import specifier, e.g. `@onehop/core/testing`. */
  specifier: string;
  /** Absolute path of its source file (the `dev-source` target). */
  file: string;
}

/** The entry points of the package in `dir` with a source file (`dev-source`), from its package.json `exports`. */
function entryPoints(dir: string): EntryPoint[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { 'dev-source'?: string }>;
  };
  return Object.entries(manifest.exports)
    .filter((entry): entry is [string, { 'dev-source': string }] => typeof entry[1] === 'object' && typeof entry[1]['dev-source'] === 'string')
    .map(([subpath, target]) => ({
      specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      file: join(dir, target['dev-source']),
    }));
}

/**
 * How the run-time exports of `entry` differ from the value exports the
 * compiler sees (`name: function` for functions and classes, `name: value`
 * for the rest): an empty list when they agree.
 */
async function runtimeMismatches(entry: EntryPoint, expected: string[]): Promise<string[]> {
  const module = (await import(pathToFileURL(entry.file).href)) as Record<string, unknown>;
  const declared = new Map(expected.map((e) => e.split(': ') as [string, string]));
  const problems: string[] = [];
  for (const name of Object.keys(module).sort(compare)) {
    const kind = declared.get(name);
    if (kind === undefined) problems.push(`${entry.specifier} exports ${name} at run time only`);
    else if (kind === 'function' && typeof module[name] !== 'function') problems.push(`${entry.specifier}: ${name} is declared a function but is ${typeof module[name]}`);
    declared.delete(name);
  }
  for (const name of declared.keys()) problems.push(`${entry.specifier} declares ${name} but does not export it at run time`);
  return problems;
}

interface ApiSurface {
  /** The snapshot text. */
  text: string;
  /** Per entry point, the value (run-time) exports as the compiler sees them: `name: function` or `name: value`. */
  values: Map<string, string[]>;
}

/** Describes `entries`, expanding the public members of the classes named in `classes`. */
function describeApi(entries: EntryPoint[], classes: string[] = []): ApiSurface {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile.bind(ts.sys));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(
    entries.map((e) => e.file),
    { ...options, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const lines: string[] = [];
  const values = new Map<string, string[]>();
  const expanded: ts.Symbol[] = [];

  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry.file} is not a module`);
    lines.push(`# ${entry.specifier}`, '');
    const runtime: string[] = [];
    const exports = checker.getExportsOfModule(module).sort((a, b) => compare(a.name, b.name));
    for (const symbol of exports) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const kinds = kindsOf(target);
      lines.push(`${symbol.name}: ${kinds.join(', ')}`);
      const declaration = target.valueDeclaration;
      if (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class) && declaration) {
        const type = checker.getTypeOfSymbolAtLocation(target, declaration);
        const signatures = target.flags & ts.SymbolFlags.Class ? type.getConstructSignatures() : type.getCallSignatures();
        for (const signature of signatures) lines.push(`  ${target.flags & ts.SymbolFlags.Class ? 'new' : ''}${signatureText(checker, signature)}`);
      }
      const value = runtimeKind(target);
      if (value) runtime.push(`${symbol.name}: ${value}`);
      if (classes.includes(symbol.name) && target.flags & ts.SymbolFlags.Class && !expanded.includes(target)) expanded.push(target);
    }
    values.set(entry.specifier, runtime);
    lines.push('');
  }

  for (const cls of expanded) lines.push(...describeClass(checker, cls));
  return { text: `${lines.join('\n').trimEnd()}\n`, values };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kindsOf(symbol: ts.Symbol): string[] {
  const kinds: string[] = [];
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) kinds.push('class');
  else if (f & ts.SymbolFlags.Function) kinds.push('function');
  else if (f & ts.SymbolFlags.Enum) kinds.push('enum');
  else if (f & ts.SymbolFlags.Variable) kinds.push(isConst(symbol) ? 'const' : 'let');
  if (f & ts.SymbolFlags.Interface) kinds.push('interface');
  if (f & ts.SymbolFlags.TypeAlias) kinds.push('type');
  if (f & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) kinds.push('namespace');
  return kinds;
}

function isConst(symbol: ts.Symbol): boolean {
  const declaration = symbol.valueDeclaration;
  return !!declaration && ts.isVariableDeclaration(declaration) && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
}

/** What `typeof` gives for this export at run time, or undefined for a type-only export. */
function runtimeKind(symbol: ts.Symbol): string | undefined {
  const f = symbol.flags;
  if (f & (ts.SymbolFlags.Class | ts.SymbolFlags.Function)) return 'function';
  if (f & (ts.SymbolFlags.Enum | ts.SymbolFlags.ValueModule)) return 'value';
  // A const holding a function (e.g. a zod schema's parse) is still a value here.
  if (f & ts.SymbolFlags.Variable) return 'value';
  return undefined;
}

function signatureText(checker: ts.TypeChecker, signature: ts.Signature): string {
  const typeParameters = signature.typeParameters?.length ? `<${signature.typeParameters.map((p) => checker.typeToString(p, undefined, FORMAT)).join(', ')}>` : '';
  const parameters = signature.parameters.map((p) => {
    const declaration = p.valueDeclaration as ts.ParameterDeclaration | undefined;
    const optional = declaration && (declaration.questionToken || declaration.initializer) ? '?' : '';
    const rest = declaration?.dotDotDotToken ? '...' : '';
    return `${rest}${p.name}${optional}: ${typeText(checker, checker.getTypeOfSymbol(p))}`;
  });
  return `${typeParameters}(${parameters.join(', ')}): ${typeText(checker, signature.getReturnType())}`;
}

/** A type as text; the members of a union are sorted, so the text does not depend on the order the compiler met them. */
function typeText(checker: ts.TypeChecker, type: ts.Type): string {
  if (type.isUnion() && !type.aliasSymbol) {
    const parts = [...new Set(type.types.map((t) => checker.typeToString(t, undefined, FORMAT)))];
    // `boolean` is the union `false | true`: print it as written.
    const booleans = parts.includes('false') && parts.includes('true');
    const rest = parts.filter((p) => !booleans || (p !== 'false' && p !== 'true'));
    return [...rest, ...(booleans ? ['boolean'] : [])].sort().join(' | ');
  }
  return checker.typeToString(type, undefined, FORMAT);
}

function isPublic(declaration: ts.Declaration): boolean {
  if (ts.isPrivateIdentifier((declaration as ts.NamedDeclaration).name ?? declaration)) return false;
  const modifiers = ts.getCombinedModifierFlags(declaration);
  return (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

/** Every public member of a class, with its signatures and the fields of its parameter and (awaited) result types. */
function describeClass(checker: ts.TypeChecker, cls: ts.Symbol): string[] {
  const declaration = cls.valueDeclaration as ts.ClassDeclaration;
  const lines = [`# class ${cls.name}`, ''];
  const instance = checker.getDeclaredTypeOfSymbol(cls);
  const statics = checker.getTypeOfSymbolAtLocation(cls, declaration);
  const groups: [string, ts.Symbol[]][] = [
    ['static ', checker.getPropertiesOfType(statics).filter((s) => s.name !== 'prototype')],
    ['', checker.getPropertiesOfType(instance)],
  ];
  for (const [prefix, members] of groups) {
    for (const member of members.sort((a, b) => compare(a.name, b.name))) {
      const memberDeclaration = member.declarations?.[0];
      if (!memberDeclaration || !isPublic(memberDeclaration) || member.name.startsWith('__#')) continue;
      const type = checker.getTypeOfSymbol(member);
      if (member.flags & ts.SymbolFlags.Method) {
        for (const signature of type.getCallSignatures()) {
          lines.push(`${prefix}${member.name}${signatureText(checker, signature)}`);
          for (const parameter of signature.parameters) {
            lines.push(...fields(checker, `  ${parameter.name}`, checker.getTypeOfSymbol(parameter)));
          }
          lines.push(...fields(checker, '  returns', checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType()));
        }
      } else {
        const accessor = member.flags & ts.SymbolFlags.GetAccessor ? (member.flags & ts.SymbolFlags.SetAccessor ? 'get set ' : 'get ') : '';
        const readonly = memberDeclaration && ts.getCombinedModifierFlags(memberDeclaration) & ts.ModifierFlags.Readonly ? 'readonly ' : '';
        lines.push(`${prefix}${accessor}${readonly}${member.name}: ${typeText(checker, type)}`);
      }
    }
  }
  return lines;
}

/** The fields of an object type (one level, each with its type), or nothing for a primitive, array or function type. */
function fields(checker: ts.TypeChecker, label: string, type: ts.Type): string[] {
  const objects = (type.isUnion() ? type.types : [type]).filter(
    (t) => t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && !checker.isTupleType(t) && t.getCallSignatures().length === 0,
  );
  if (objects.length === 0) return [];
  const lines: string[] = [];
  for (const object of objects) {
    const properties = checker.getPropertiesOfType(object);
    if (properties.length === 0) continue;
    lines.push(`${label}${objects.length > 1 ? ` (${checker.typeToString(object, undefined, FORMAT)})` : ''}:`);
    for (const property of [...properties].sort((a, b) => compare(a.name, b.name))) {
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
      lines.push(`    ${property.name}${optional}: ${typeText(checker, checker.getTypeOfSymbol(property))}`);
    }
  }
  return lines;
}

/**
 * The API snapshot tests of the package at `packageUrl` (its folder): its
 * entry points are `specifiers`, its API text matches `snapshot` (a path
 * relative to the test file), and its run-time exports match its types.
 */
export function apiSnapshotTests(packageUrl: URL, specifiers: string[], snapshot: string, classes: string[] = []): void {
  const entries = entryPoints(fileURLToPath(packageUrl));
  const api = describeApi(entries, classes);

  it('has the entry points of package.json', () => {
    expect(entries.map((e) => e.specifier)).toEqual(specifiers);
  });

  it('exports what the API snapshot records, and nothing else', async () => {
    await expect(api.text).toMatchFileSnapshot(snapshot);
  });

  // Importing every entry point from source compiles the whole package: on a loaded machine that takes longer
  // than the default 5 s, which says nothing about the exports.
  it('exports at run time the values its types declare', { timeout: 60_000 }, async () => {
    for (const entry of entries) expect(await runtimeMismatches(entry, api.values.get(entry.specifier) ?? [])).toEqual([]);
  });
}
