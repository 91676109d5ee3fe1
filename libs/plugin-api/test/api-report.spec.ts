/**
 * The public API of plugin-api, as the compiled declaration files, is committed in
 * api-report.d.ts.md. A change to the contract therefore shows up in review as a diff of that
 * file. Update it with:
 *
 *   npx tsc -p libs/plugin-api/tsconfig.build.json
 *   cd libs/plugin-api && UPDATE_API_REPORT=1 npx vitest run test/api-report.spec.ts
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = path.join(packageDir, 'dist');
const reportPath = path.join(packageDir, 'api-report.d.ts.md');

const UPDATE_HINT =
  'The public API of @meshery/plugin-api changed. If the change is intended, rebuild and update the report: ' +
  '`npx tsc -p libs/plugin-api/tsconfig.build.json && cd libs/plugin-api && ' +
  'UPDATE_API_REPORT=1 npx vitest run test/api-report.spec.ts`, then commit api-report.d.ts.md ' +
  'so reviewers see the contract change.';

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(full, suffix)));
    else if (entry.name.endsWith(suffix)) files.push(full);
  }
  return files;
}

/** The declaration files tsc would write for the current sources, by path relative to dist. */
function emitDeclarations(): Map<string, string> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(packageDir, 'tsconfig.build.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('cannot read tsconfig.build.json');
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const out = new Map<string, string>();
  program.emit(undefined, (fileName, text) => {
    if (fileName.endsWith('.d.ts')) out.set(toPosix(path.relative(distDir, fileName)), text);
  }, undefined, true);
  return out;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');
const isSpec = (file: string): boolean => /\.(spec|test)\.(d\.ts|ts)$/.test(file);

/** The report text: every declaration file of dist, sorted by path, each under a `// file:` header. */
async function renderApiReport(): Promise<string> {
  const declarations = (await filesUnder(distDir, '.d.ts'))
    .filter((file) => !isSpec(file))
    .map((file) => toPosix(path.relative(distDir, file)))
    .sort();
  const parts: string[] = [];
  for (const relative of declarations) {
    const text = (await readFile(path.join(distDir, relative), 'utf8')).replace(/\r\n/g, '\n').trimEnd();
    parts.push(`// file: ${relative}\n${text}\n`);
  }
  return [
    '# API report: @meshery/plugin-api',
    '',
    'Generated from the compiled declaration files (`dist/**/*.d.ts`) by `test/api-report.spec.ts`.',
    'Do not edit by hand. After an intended change to the contract run',
    '`npx tsc -p libs/plugin-api/tsconfig.build.json && cd libs/plugin-api && UPDATE_API_REPORT=1 npx vitest run test/api-report.spec.ts`.',
    '',
    // Four backticks: the declarations' own @example blocks use three.
    '````ts',
    parts.join('\n').trimEnd(),
    '````',
    '',
  ].join('\n');
}

describe('API report', () => {
  it('dist holds the declarations of the current sources (build before this test)', async () => {
    expect(existsSync(path.join(distDir, 'index.d.ts')), 'Build first: npx tsc -p libs/plugin-api/tsconfig.build.json').toBe(true);
    const fresh = emitDeclarations();
    expect(fresh.size).toBeGreaterThan(5);
    const stale: string[] = [];
    for (const [relative, text] of fresh) {
      const file = path.join(distDir, relative);
      if (!existsSync(file) || (await readFile(file, 'utf8')) !== text) stale.push(relative);
    }
    expect(stale, 'dist is out of date with src; rebuild: npx tsc -p libs/plugin-api/tsconfig.build.json').toEqual([]);
  });

  it('matches the committed api-report.d.ts.md', async () => {
    const actual = await renderApiReport();
    expect(actual).toContain('// file: index.d.ts');
    expect(actual).toContain('export declare function validatePluginManifest');
    if (process.env['UPDATE_API_REPORT'] === '1') {
      await writeFile(reportPath, actual, 'utf8');
      return;
    }
    expect(existsSync(reportPath), `api-report.d.ts.md is missing. ${UPDATE_HINT}`).toBe(true);
    const committed = (await readFile(reportPath, 'utf8')).replace(/\r\n/g, '\n');
    expect(actual, UPDATE_HINT).toBe(committed);
  });
});
