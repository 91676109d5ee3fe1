import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** The packages the plugin's runtime code may import: the contract, DI, YAML and Node built-ins. */
const ALLOWED = ['@meshery/plugin-api', 'tsyringe', 'reflect-metadata', 'yaml'];

/** Every module specifier a source file imports or re-exports, statically or dynamically (read by TypeScript's own pre-processor). */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

export function disallowed(specifiers: readonly string[]): string[] {
  return specifiers.filter((s) => !s.startsWith('./') && !s.startsWith('node:') && !ALLOWED.includes(s));
}

describe('the plugin imports only what a plugin may', () => {
  it('finds forbidden imports (the check itself)', () => {
    const source = "import { x } from '@meshery/plugin-host';\nimport 'reflect-metadata';\nexport * from './a.js';\nconst m = await import('@meshery/kube-engine');\nimport fs from 'fs';\nconst text = `read from 'here'`;";
    expect(importSpecifiers(source).sort()).toEqual(['./a.js', '@meshery/kube-engine', '@meshery/plugin-host', 'fs', 'reflect-metadata']);
    expect(disallowed(importSpecifiers(source)).sort()).toEqual(['@meshery/kube-engine', '@meshery/plugin-host', 'fs']);
  });

  it('src/ imports nothing but @meshery/plugin-api, tsyringe, reflect-metadata, yaml, node: built-ins and its own files', async () => {
    const files = (await readdir(srcDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending: string[] = [];
    let seen = 0;
    for (const file of files) {
      const specifiers = importSpecifiers(await readFile(path.join(srcDir, file), 'utf8'));
      seen += specifiers.length;
      for (const specifier of disallowed(specifiers)) offending.push(`${file}: ${specifier}`);
    }
    expect(seen).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });
});
