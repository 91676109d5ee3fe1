import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPluginPackages, resolvePluginEntry, type PluginSource } from './discovery.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'meshery-discovery-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes `<dir>/package.json`; a string is written as-is (to make it invalid). */
async function pkg(dir: string, content: Record<string, unknown> | string): Promise<string> {
  const full = path.join(root, dir);
  await mkdir(full, { recursive: true });
  await writeFile(path.join(full, 'package.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return full;
}

const plugin = (name: string, pluginId = name) => ({ name, version: '1.0.0', meshery: { pluginId } });
const names = (found: { packageJson: Readonly<Record<string, unknown>> }[]) => found.map((p) => p.packageJson['name']);

describe('discoverPluginPackages', () => {
  it('directory: every sub-directory with a package.json is a candidate, manifest or not', async () => {
    await pkg('plugins/b-plugin', plugin('b-plugin'));
    await pkg('plugins/a-plugin', plugin('a-plugin'));
    await pkg('plugins/no-manifest', { name: 'no-manifest' });
    await mkdir(path.join(root, 'plugins/empty-dir'));
    await pkg('plugins/.hidden', plugin('hidden'));
    await writeFile(path.join(root, 'plugins/README.md'), 'not a package');
    const source: PluginSource = { kind: 'directory', path: path.join(root, 'plugins') };

    const { packages, unreadable } = await discoverPluginPackages([source]);

    // Sorted by directory name; a package without a manifest is kept so the host can report it.
    expect(names(packages)).toEqual(['a-plugin', 'b-plugin', 'no-manifest']);
    expect(packages[0]).toMatchObject({ dir: path.join(root, 'plugins/a-plugin'), source });
    expect(unreadable).toEqual([]);
  });

  it('node-modules: finds packages with a "meshery" key, scoped ones too, and ignores the rest', async () => {
    await pkg('node_modules/meshery-plugin-x', plugin('meshery-plugin-x', 'x'));
    await pkg('node_modules/@acme/meshery-perf', plugin('@acme/meshery-perf', 'acme-perf'));
    await pkg('node_modules/@acme/utils', { name: '@acme/utils' });
    await pkg('node_modules/lodash', { name: 'lodash' });
    await pkg('node_modules/broken-json', '{ "name": ');
    await mkdir(path.join(root, 'node_modules/.bin'), { recursive: true });
    const { packages, unreadable } = await discoverPluginPackages([
      { kind: 'node-modules', path: path.join(root, 'node_modules') },
    ]);
    expect(names(packages)).toEqual(['@acme/meshery-perf', 'meshery-plugin-x']);
    // Any installed package may have a bad package.json; that is not a plugin problem.
    expect(unreadable).toEqual([]);
  });

  it('package: loads exactly the one package given', async () => {
    const dir = await pkg('somewhere/my-plugin', plugin('my-plugin'));
    const { packages } = await discoverPluginPackages([{ kind: 'package', path: dir }]);
    expect(names(packages)).toEqual(['my-plugin']);
  });

  it('returns a package reached twice (symlinked into node_modules) once, from the first source', async () => {
    const real = await pkg('plugins/perf-x', plugin('@acme/perf-x', 'perf-x'));
    await mkdir(path.join(root, 'node_modules/@acme'), { recursive: true });
    await symlink(real, path.join(root, 'node_modules/@acme/perf-x'), 'dir');
    const directory: PluginSource = { kind: 'directory', path: path.join(root, 'plugins') };
    const nodeModules: PluginSource = { kind: 'node-modules', path: path.join(root, 'node_modules') };

    const first = await discoverPluginPackages([directory, nodeModules]);
    expect(first.packages).toHaveLength(1);
    expect(first.packages[0]!.source).toBe(directory);

    const reversed = await discoverPluginPackages([nodeModules, directory]);
    expect(reversed.packages).toHaveLength(1);
    expect(reversed.packages[0]!.source).toBe(nodeModules);
    expect(reversed.packages[0]!.dir).toBe(real);
  });

  it('follows a symlinked plugin directory and reports its real path', async () => {
    const real = await pkg('elsewhere/linked', plugin('linked'));
    await mkdir(path.join(root, 'plugins'));
    await symlink(real, path.join(root, 'plugins/linked'), 'dir');
    const { packages } = await discoverPluginPackages([{ kind: 'directory', path: path.join(root, 'plugins') }]);
    expect(packages.map((p) => p.dir)).toEqual([real]);
  });

  it('reports unreadable package.json files in plugin directories with the reason', async () => {
    await pkg('plugins/bad-json', '{ "name": "bad-json", ');
    await pkg('plugins/an-array', '[1, 2]');
    await mkdir(path.join(root, 'plugins/dir-not-file/package.json'), { recursive: true });
    await pkg('plugins/fine', plugin('fine'));
    const source: PluginSource = { kind: 'directory', path: path.join(root, 'plugins') };

    const { packages, unreadable } = await discoverPluginPackages([source]);

    expect(names(packages)).toEqual(['fine']);
    const byDir = Object.fromEntries(unreadable.map((u) => [path.basename(u.dir), u]));
    expect(Object.keys(byDir).sort()).toEqual(['an-array', 'bad-json', 'dir-not-file']);
    expect(byDir['bad-json']!.problem).toMatch(/^package\.json is not valid JSON: /);
    expect(byDir['an-array']!.problem).toBe('package.json is not a JSON object');
    // It exists but cannot be read: reported, not mistaken for "no package here".
    expect(byDir['dir-not-file']!.problem).toMatch(/^package\.json could not be read: .*EISDIR/);
    expect(byDir['bad-json']!.source).toBe(source);
  });

  it('reports an unreadable package given as a single package', async () => {
    const dir = await pkg('one', 'nope');
    const { packages, unreadable } = await discoverPluginPackages([{ kind: 'package', path: dir }]);
    expect(packages).toEqual([]);
    expect(unreadable.map((u) => u.dir)).toEqual([dir]);
  });

  it('finds nothing (and does not throw) for sources that do not exist', async () => {
    const missing = path.join(root, 'does-not-exist');
    const found = await discoverPluginPackages([
      { kind: 'directory', path: missing },
      { kind: 'node-modules', path: missing },
      { kind: 'package', path: missing },
    ]);
    expect(found).toEqual({ packages: [], unreadable: [] });
  });
});

describe('resolvePluginEntry', () => {
  const dir = '/plugins/x';
  it.each([
    ['exports as a string', { exports: './lib/a.js', main: './main.js' }, '/plugins/x/lib/a.js'],
    ['exports["."] as a string', { exports: { '.': './lib/b.js' } }, '/plugins/x/lib/b.js'],
    ['the import condition first', { exports: { '.': { types: './x.d.ts', import: './esm.js', default: './cjs.js' } } }, '/plugins/x/esm.js'],
    ['the default condition', { exports: { '.': { types: './x.d.ts', default: './dist/index.js' } } }, '/plugins/x/dist/index.js'],
    ['conditions without "."', { exports: { import: './top.js' } }, '/plugins/x/top.js'],
    ['main when exports has no usable target', { exports: { '.': { types: './x.d.ts' } }, main: './main.js' }, '/plugins/x/main.js'],
    ['main', { main: 'dist/main.js' }, '/plugins/x/dist/main.js'],
    ['index.js when nothing is declared', {}, '/plugins/x/index.js'],
  ])('uses %s', (_what, packageJson, expected) => {
    expect(resolvePluginEntry(dir, packageJson)).toBe(expected);
  });
});
