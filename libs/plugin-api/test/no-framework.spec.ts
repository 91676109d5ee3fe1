/**
 * plugin-api is the contract plugin authors compile against; it must stay framework-free so a
 * plugin never inherits the server's dependencies (NestJS, GraphQL, Kubernetes clients...).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWED_PACKAGES = ['zod'];

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(full)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(full);
  }
  return files.sort();
}

/** Every module specifier in a file: imports, re-exports, `import x = require()`, `import()` and `import('x').T` types. */
function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      found.push(first && ts.isStringLiteralLike(first) ? first.text : '<computed import()>');
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [first] = node.arguments;
      found.push(first && ts.isStringLiteralLike(first) ? first.text : '<computed require()>');
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) found.push(argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../');

describe('plugin-api depends on no framework', () => {
  it('the specifier scanner sees every kind of import (so the check below can fail)', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from 'tsyringe';",
      "export * from '@nestjs/common';",
      "import fs = require('node:fs');",
      "const m = await import('graphql');",
      "type T = import('@kubernetes/client-node').KubeConfig;",
      "const r = require('express');",
    ].join('\n');
    expect(moduleSpecifiers('probe.ts', text)).toEqual([
      './a.js',
      'tsyringe',
      '@nestjs/common',
      'node:fs',
      'graphql',
      '@kubernetes/client-node',
      'express',
    ]);
  });

  it(`imports only relative modules and ${ALLOWED_PACKAGES.join(', ')} in src/**/*.ts`, async () => {
    const files = await sourceFiles(path.join(packageDir, 'src'));
    expect(files.length).toBeGreaterThan(5);
    const offenders: string[] = [];
    const packagesUsed = new Set<string>();
    for (const file of files) {
      for (const specifier of moduleSpecifiers(file, await readFile(file, 'utf8'))) {
        if (isRelative(specifier)) continue;
        packagesUsed.add(specifier);
        if (!ALLOWED_PACKAGES.includes(specifier)) offenders.push(`${path.relative(packageDir, file)}: '${specifier}'`);
      }
    }
    expect(offenders, 'plugin-api must not import frameworks, Node built-ins or other packages').toEqual([]);
    // The scan really ran over the sources: the manifest schema uses zod.
    expect([...packagesUsed]).toEqual(['zod']);
  });

  it('declares zod as its only dependency', async () => {
    const pkg = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys((pkg['dependencies'] ?? {}) as object)).toEqual(['zod']);
    expect(Object.keys((pkg['peerDependencies'] ?? {}) as object)).toEqual([]);
    expect(Object.keys((pkg['optionalDependencies'] ?? {}) as object)).toEqual([]);
  });
});
