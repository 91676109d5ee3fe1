/**
 * PluginHost against every fixture package at once, as a server pointed at
 * test/fixtures/plugins (e.g. MESHERY_PLUGINS_DIR) would start them.
 */
import { PluginError } from '@meshery/plugin-api';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PluginHost, type PluginRecord, type PluginSource } from '../src/index.js';
import {
  FIXTURE_PLUGINS_DIR,
  MARKER_DIR_ENV,
  fixture,
  importedFixtures,
  memorySink,
  operation,
  spec,
  tempDir,
  type FixtureResult,
} from './helpers.js';

describe('PluginHost.start with every fixture', () => {
  const sink = memorySink();
  let host: PluginHost;
  let markerDir: string;
  let dataDir: string;
  let records: readonly PluginRecord[] = [];
  let startError: unknown;

  /** The record of the fixture package in directory `name`. */
  const record = (name: string): PluginRecord => {
    const found = records.find((r) => r.path === fixture(name));
    if (!found) throw new Error(`no record for fixture ${name}`);
    return found;
  };

  beforeAll(async () => {
    markerDir = await tempDir('markers');
    dataDir = await tempDir('data');
    process.env[MARKER_DIR_ENV] = markerDir;
    host = new PluginHost({
      hostVersion: '0.1.0',
      sources: [{ kind: 'directory', path: FIXTURE_PLUGINS_DIR }],
      sink,
      dataDir,
      configFor: (pluginId) => (pluginId === 'good-in-process' ? { greeting: 'hello from the host' } : {}),
    });
    try {
      records = await host.start();
    } catch (error) {
      startError = error;
    }
  });

  afterAll(async () => {
    await host.stop();
    delete process.env[MARKER_DIR_ENV];
    await rm(markerDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never throws and keeps one record per fixture package', async () => {
    expect(startError).toBeUndefined();
    const fixtureDirs = (await readdir(FIXTURE_PLUGINS_DIR)).sort();
    expect(fixtureDirs).toHaveLength(7);
    expect(records.map((r) => path.basename(r.path)).sort()).toEqual(fixtureDirs);
    expect(host.plugins()).toBe(records);
  });

  it('loads the good plugins, with what their manifests say', () => {
    expect(record('good-in-process')).toMatchObject({
      pluginId: 'good-in-process',
      packageName: '@meshery-fixtures/good-in-process',
      version: '1.2.3',
      displayName: 'Good in-process fixture',
      kinds: ['load-generator'],
      capabilities: { 'load-generator': ['http', 'closed-loop'] },
      runtime: 'in-process',
      status: 'loaded',
    });
    expect(record('good-worker')).toMatchObject({ pluginId: 'good-worker', runtime: 'worker', status: 'loaded' });
    expect(record('good-in-process').reason).toBeUndefined();
    expect(record('good-worker').reason).toBeUndefined();
  });

  it('offers only the loaded plugins’ providers', () => {
    expect(host.loadGenerators().map((r) => [r.pluginId, r.provider.descriptor.name])).toEqual([
      ['good-in-process', 'fixture-in-process'],
      ['good-worker', 'fixture-worker'],
    ]);
    expect(host.meshProviders()).toEqual([]);
    expect(host.conformanceSuites()).toEqual([]);
  });

  it('fails an invalid manifest, naming each field at fault', () => {
    const broken = record('broken-manifest');
    expect(broken.status).toBe('failed');
    expect(broken.pluginId).toBe('Bad_ID');
    expect(broken.packageName).toBe('@meshery-fixtures/broken-manifest');
    expect(broken.reason).toContain(`Invalid plugin manifest at ${fixture('broken-manifest')}/package.json`);
    expect(broken.reason).toContain('meshery.pluginId: must be kebab-case');
    expect(broken.reason).toContain('meshery.kinds:');
  });

  it('fails a plugin whose register() throws, with the plugin’s own message', () => {
    const failed = record('register-throws');
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe(
      'register() of plugin "register-throws" failed: license file /etc/meshery-fixture.lic not found',
    );
  });

  it('marks a plugin for another Meshery version incompatible, saying which versions', () => {
    const incompatible = record('incompatible-engine');
    expect(incompatible.status).toBe('incompatible');
    expect(incompatible.reason).toContain('Plugin "incompatible-engine" requires Meshery >=99.0.0');
    expect(incompatible.reason).toContain('this server is 0.1.0');
  });

  it('fails a package whose export was not made by definePlugin(), saying what it found', () => {
    const wrong = record('wrong-export');
    expect(wrong.status).toBe('failed');
    expect(wrong.reason).toContain(`Invalid plugin at ${fixture('wrong-export')}/index.js`);
    expect(wrong.reason).toContain('expected a value made by definePlugin()');
    expect(wrong.reason).toContain('received an object with keys [pluginId, register]');
  });

  it('fails the second package claiming an id, naming the first', () => {
    const duplicate = record('zz-duplicate-id');
    expect(duplicate.status).toBe('failed');
    expect(duplicate.pluginId).toBe('good-in-process');
    expect(duplicate.reason).toBe(
      `Duplicate plugin id "good-in-process": also provided by ${fixture('good-in-process')}; remove one of them`,
    );
    expect(host.plugin('good-in-process')).toBe(record('good-in-process'));
  });

  it('never runs the code of a plugin refused from its package.json', async () => {
    // Markers are written when a fixture module is evaluated (in any thread).
    expect(await importedFixtures(markerDir)).toEqual(['good-in-process', 'good-worker', 'register-throws', 'wrong-export']);
  });

  it('tells the server log about every plugin that is not loaded', () => {
    const about = (pluginId: string, level: string) =>
      sink.lines.filter((l) => l.fields['pluginId'] === pluginId && l.level === level).map((l) => l.message);
    expect(about('incompatible-engine', 'warn')).toEqual([`plugin skipped: ${record('incompatible-engine').reason}`]);
    for (const name of ['broken-manifest', 'register-throws', 'wrong-export', 'zz-duplicate-id']) {
      const r = record(name);
      expect(about(r.pluginId, 'error'), name).toContain(`plugin failed to start: ${r.reason}`);
    }
    expect(about('good-in-process', 'info')).toContain('plugin loaded');
    expect(about('good-worker', 'info')).toContain('plugin loaded');
  });

  it('gives an in-process plugin its logger, config and host info, and runs it on the calling thread', async () => {
    const generator = host.loadGenerators().find((r) => r.pluginId === 'good-in-process')!.provider;
    const op = operation('op-in-process');
    const result = (await generator.run(spec('http://127.0.0.1:1/'), op.ctx)) as FixtureResult;

    expect(result.fixture.greeting).toBe('hello from the host');
    // Checked against the manifest's configSchema, with the schema's defaults filled in.
    expect(result.fixture.config).toEqual({ greeting: 'hello from the host', loud: false });
    expect(result.fixture.hostInfo).toMatchObject({
      hostVersion: '0.1.0',
      pluginId: 'good-in-process',
      pluginVersion: '1.2.3',
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
      dataDir: path.join(dataDir, 'good-in-process'),
    });
    // The data directory HostInfo promises exists before the plugin runs.
    expect(result.fixture.dataDirExists).toBe(true);
    expect(result.fixture.threadId).toBe(threadId);
    expect(op.events).toHaveLength(1);
    expect(sink.lines).toContainEqual({
      level: 'info',
      message: 'fixture run started',
      fields: { url: 'http://127.0.0.1:1/', pluginId: 'good-in-process' },
    });
  });
});

describe('PluginHost: which package wins an id, and reasons for other faults', () => {
  const sink = memorySink();
  let work: string;
  const hosts: PluginHost[] = [];

  const start = async (sources: PluginSource[], extra: { hostVersion?: string; runtimeOverride?: 'in-process' | 'worker' } = {}) => {
    const host = new PluginHost({ hostVersion: extra.hostVersion ?? '0.1.0', sources, sink, dataDir: path.join(work, 'data'), ...(extra.runtimeOverride ? { runtimeOverride: extra.runtimeOverride } : {}) });
    hosts.push(host);
    return { host, records: await host.start() };
  };

  /** A plugin package in the temp dir; its entry needs no imports. */
  const tempPlugin = async (dir: string, packageJson: Record<string, unknown> | string, entry?: string) => {
    const full = path.join(work, dir);
    await mkdir(full, { recursive: true });
    await writeFile(path.join(full, 'package.json'), typeof packageJson === 'string' ? packageJson : JSON.stringify(packageJson));
    if (entry !== undefined) await writeFile(path.join(full, 'index.js'), entry);
    return full;
  };
  const manifest = (pluginId: string, more: Record<string, unknown> = {}) => ({
    pluginId,
    displayName: pluginId,
    apiVersion: 1,
    engines: { meshery: '>=0.1.0' },
    kinds: ['load-generator'],
    runtime: 'in-process',
    ...more,
  });

  beforeAll(async () => {
    work = await tempDir('host-reasons');
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a plugin whose configuration does not match its configSchema, before running its code', async () => {
    const markers = await tempDir('config-markers');
    process.env[MARKER_DIR_ENV] = markers;
    try {
      const host = new PluginHost({
        hostVersion: '0.1.0',
        sources: [{ kind: 'package', path: fixture('good-in-process') }],
        sink,
        dataDir: path.join(work, 'data'),
        configFor: () => ({ greeting: 42, shout: true }),
        configSource: '/etc/meshery/plugins.yaml',
      });
      hosts.push(host);
      const [record] = await host.start();
      expect(record!.status).toBe('failed');
      expect(record!.reason).toContain('Invalid configuration for plugin "good-in-process" in /etc/meshery/plugins.yaml');
      expect(record!.reason).toContain('greeting must be string');
      expect(record!.reason).toContain('must NOT have additional properties ("shout")');
      expect(host.loadGenerators()).toEqual([]);
      expect(await importedFixtures(markers)).toEqual([]);
    } finally {
      delete process.env[MARKER_DIR_ENV];
      await rm(markers, { recursive: true, force: true });
    }
  });

  it('fails a plugin whose configSchema is not a JSON Schema, saying the author must fix it', async () => {
    const dir = await tempPlugin('bad-schema', { name: 'bad-schema', meshery: manifest('bad-schema', { configSchema: { type: 'nonsense' } }) }, 'export default {};');
    const { records } = await start([{ kind: 'package', path: dir }]);
    expect(records[0]!.status).toBe('failed');
    expect(records[0]!.reason).toMatch(/configSchema is not a valid JSON Schema.*plugin author must fix it/);
  });

  it('lets the first source win a duplicated id', async () => {
    const { host, records } = await start([
      { kind: 'package', path: fixture('zz-duplicate-id') },
      { kind: 'package', path: fixture('good-in-process') },
    ]);
    expect(records.map((r) => [path.basename(r.path), r.status])).toEqual([
      ['zz-duplicate-id', 'loaded'],
      ['good-in-process', 'failed'],
    ]);
    expect(records[1]!.reason).toContain(`also provided by ${fixture('zz-duplicate-id')}`);
    expect(host.plugin('good-in-process')?.path).toBe(fixture('zz-duplicate-id'));
  });

  it('does not let a package with an invalid manifest block a valid one with the same id', async () => {
    const brokenCopy = await tempPlugin('broken-copy', { name: 'broken-copy', meshery: { pluginId: 'good-in-process', displayName: 'x' } });
    const { host, records } = await start([
      { kind: 'package', path: brokenCopy },
      { kind: 'package', path: fixture('good-in-process') },
    ]);
    expect(records.map((r) => r.status)).toEqual(['failed', 'loaded']);
    // The broken copy keeps the reason that helps fix it.
    expect(records[0]!.reason).toContain('Invalid plugin manifest');
    expect(records[0]!.reason).toContain('meshery.apiVersion:');
    expect(host.plugin('good-in-process')).toBe(records[1]);
  });

  it('fails a plugin directory whose package.json is unreadable or has no manifest', async () => {
    const dir = path.join(work, 'plugins-dir');
    await mkdir(path.join(dir, 'bad-json'), { recursive: true });
    await writeFile(path.join(dir, 'bad-json', 'package.json'), '{ "name": ');
    await mkdir(path.join(dir, 'no-manifest'), { recursive: true });
    await writeFile(path.join(dir, 'no-manifest', 'package.json'), JSON.stringify({ name: 'just-a-package' }));
    const { records } = await start([{ kind: 'directory', path: dir }]);
    const [badJson, noManifest] = records;
    expect(badJson).toMatchObject({ pluginId: 'bad-json', status: 'failed' });
    expect(badJson!.reason).toMatch(new RegExp(`^Invalid plugin at ${dir}/bad-json: package\\.json is not valid JSON`));
    expect(noManifest).toMatchObject({ pluginId: 'just-a-package', status: 'failed' });
    expect(noManifest!.reason).toBe(
      `Invalid plugin manifest at ${dir}/no-manifest/package.json: the package.json has no "meshery" manifest object`,
    );
  });

  it('marks a plugin built for another contract major incompatible without importing it', async () => {
    const dir = await tempPlugin('api-v2', { name: 'api-v2', meshery: manifest('api-v2', { apiVersion: 2 }) }, 'globalThis.__apiV2Imported = true; export default {};');
    const { records } = await start([{ kind: 'package', path: dir }]);
    expect(records[0]).toMatchObject({ status: 'incompatible' });
    expect(records[0]!.reason).toContain('built for plugin API v2, but this server implements v1');
    expect((globalThis as Record<string, unknown>)['__apiV2Imported']).toBeUndefined();
  });

  it('fails a plugin whose code names another id than its manifest', async () => {
    const dir = await tempPlugin(
      'mismatch',
      { name: 'mismatch', type: 'module', meshery: manifest('mismatch') },
      "export default { $$type: '@meshery/plugin', apiVersion: 1, pluginId: 'something-else', register() {} };",
    );
    const { records } = await start([{ kind: 'package', path: dir }]);
    expect(records[0]!.status).toBe('failed');
    expect(records[0]!.reason).toContain('expected pluginId "mismatch" (from package.json), received "something-else"');
  });

  it('fails a plugin that adds a provider of a kind its manifest does not list', async () => {
    const dir = await tempPlugin(
      'undeclared-kind',
      { name: 'undeclared-kind', type: 'module', meshery: manifest('undeclared-kind') },
      "export default { $$type: '@meshery/plugin', apiVersion: 1, pluginId: 'undeclared-kind', register(r) { r.addMeshProvider({}); } };",
    );
    const { records } = await start([{ kind: 'package', path: dir }]);
    expect(records[0]!.status).toBe('failed');
    expect(records[0]!.reason).toContain('mesh added, but the manifest\'s "kinds" does not list "mesh-lifecycle"');
  });

  it('fails a plugin whose provider lacks the extension point’s methods', async () => {
    const dir = await tempPlugin(
      'not-a-generator',
      { name: 'not-a-generator', type: 'module', meshery: manifest('not-a-generator') },
      "export default { $$type: '@meshery/plugin', apiVersion: 1, pluginId: 'not-a-generator', register(r) { r.addLoadGenerator({ descriptor: { name: 'x' } }); } };",
    );
    const { records } = await start([{ kind: 'package', path: dir }]);
    expect(records[0]!.status).toBe('failed');
    expect(records[0]!.reason).toContain('expected a load generator provider, received an object with keys [descriptor]');
  });

  it('reports a worker plugin whose register() throws, with the plugin’s message', async () => {
    const { records } = await start([{ kind: 'package', path: fixture('register-throws') }], { runtimeOverride: 'worker' });
    expect(records[0]).toMatchObject({ runtime: 'worker', status: 'failed' });
    expect(records[0]!.reason).toBe(
      'register() of plugin "register-throws" failed: license file /etc/meshery-fixture.lic not found',
    );
  });

  it('runs a worker plugin on the calling thread when forced in-process', async () => {
    const { host, records } = await start([{ kind: 'package', path: fixture('good-worker') }], { runtimeOverride: 'in-process' });
    expect(records[0]).toMatchObject({ runtime: 'in-process', status: 'loaded' });
    const result = (await host.loadGenerators()[0]!.provider.run(spec('http://x/', 0.05), operation().ctx)) as FixtureResult;
    expect(result.fixture.threadId).toBe(threadId);
  });

  it('leaves no data directory for a plugin refused before it starts', async () => {
    await start([{ kind: 'package', path: fixture('incompatible-engine') }]);
    expect(existsSync(path.join(work, 'data', 'incompatible-engine'))).toBe(false);
  });

  it('propagates a PluginError from an in-process plugin unchanged', async () => {
    // good-worker forced in-process throws INVALID_REQUEST for URLs containing "invalid".
    const { host } = await start([{ kind: 'package', path: fixture('good-worker') }], { runtimeOverride: 'in-process' });
    const error = await host.loadGenerators()[0]!.provider.run(spec('http://invalid/'), operation().ctx).catch((e: unknown) => e);
    expect(PluginError.from(error)).toMatchObject({ code: 'INVALID_REQUEST', field: 'url' });
  });
});
