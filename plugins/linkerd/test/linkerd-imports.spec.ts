import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DIR } from './linkerd-test-kit.js';

/** What a mesh plugin may import: the contract, DI, YAML, X.509 and Node's own modules. */
const ALLOWED_PACKAGES = new Set(['@meshery/plugin-api', 'tsyringe', 'reflect-metadata', 'yaml', '@peculiar/x509']);
const builtins = new Set(builtinModules);

function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+?\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function allowed(specifier: string): boolean {
  if (specifier.startsWith('./') || specifier.startsWith('../')) return true;
  if (specifier.startsWith('node:')) return builtins.has(specifier.slice(5));
  if (builtins.has(specifier)) return true;
  return ALLOWED_PACKAGES.has(specifier);
}

describe('the plugin source', () => {
  it('imports nothing but the plugin API, tsyringe, reflect-metadata, yaml, @peculiar/x509 and node built-ins', async () => {
    const srcDir = path.join(PLUGIN_DIR, 'src');
    const files = (await readdir(srcDir)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending: string[] = [];
    let total = 0;
    for (const file of files) {
      for (const specifier of specifiers(await readFile(path.join(srcDir, file), 'utf8'))) {
        total++;
        if (!allowed(specifier)) offending.push(`${file}: ${specifier}`);
        if (specifier.startsWith('../')) offending.push(`${file}: ${specifier} (leaves src/)`);
      }
    }
    expect(total).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });

  it('the check itself catches a forbidden import', () => {
    expect(specifiers(`import { PluginHost } from '@meshery/plugin-host';\nexport * from "@meshery/kube-engine";`).filter((s) => !allowed(s))).toEqual([
      '@meshery/plugin-host',
      '@meshery/kube-engine',
    ]);
  });
});
