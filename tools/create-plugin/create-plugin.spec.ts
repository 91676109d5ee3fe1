import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { createPlugin, renderPlugin } from './create-plugin.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Generated two levels below the workspace root, like plugins/<id>, so its tsconfig and
// vitest config find the root files and it resolves @meshery/* like any plugin.
const scratch = mkdtempSync(path.join(root, '.scratch-create-plugin-'));

describe('create-plugin', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes a plugin skeleton that builds, loads in the test host, and passes its own test', () => {
    const dir = path.join(scratch, 'perf-sample');
    const written: string[] = createPlugin({ id: 'perf-sample', kind: 'load-generator', dir });
    expect(written.map((f) => path.relative(dir, f)).sort()).toEqual(
      ['README.md', 'package.json', 'src/index.ts', 'src/perf-sample-provider.ts', 'test/perf-sample.spec.ts', 'tsconfig.build.json', 'tsconfig.json', 'vitest.config.ts'].sort(),
    );
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).meshery;
    expect(manifest).toMatchObject({ pluginId: 'perf-sample', kinds: ['load-generator'], apiVersion: 1, runtime: 'worker' });

    // The generated tsconfig files extend ../../tsconfig.base.json, two levels up like plugins/<id>.
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.build.json')], { stdio: 'pipe', cwd: root });
    expect(existsSync(path.join(dir, 'dist/index.js'))).toBe(true);
    const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
    const output = execFileSync(process.execPath, [vitest, 'run', '--root', dir], { cwd: dir, encoding: 'utf8', env: { ...process.env, MESHERY_TEST_REPORT_DIR: '' } });
    expect(output).toMatch(/1 passed/);
  }, 120_000);

  it('refuses an id that is not kebab-case and never overwrites an existing plugin', () => {
    expect(() => renderPlugin({ id: 'Perf_Sample', kind: 'load-generator' })).toThrow(/kebab-case/);
    const dir = path.join(scratch, 'existing');
    createPlugin({ id: 'existing', kind: 'load-generator', dir });
    expect(() => createPlugin({ id: 'existing', kind: 'load-generator', dir })).toThrow(/already holds a package.json/);
  });
});
