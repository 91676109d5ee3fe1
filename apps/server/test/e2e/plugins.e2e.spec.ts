import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData } from '../support/graphql-client.js';
import { makeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.js';

const fixtures = fileURLToPath(new URL('../../../../libs/plugin-host/test/fixtures/plugins', import.meta.url));

describe('plugins, good and broken, in a running server', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess({ env: { MESHERY_PLUGINS_DIR: fixtures } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('starts anyway and reports every plugin with its status and the reason when it is not loaded', async () => {
    const { plugins } = await gqlData<{ plugins: { id: string; status: string; reason: string | null; runtime: string | null; path: string }[] }>(
      server.url,
      `{ plugins { id status reason runtime path version kinds capabilities { kind names } } }`,
    );
    const byPath = (dir: string) => plugins.find((p) => p.path.endsWith(dir));
    expect(plugins.find((p) => p.id === 'perf-autocannon')).toMatchObject({ status: 'LOADED', runtime: 'worker', reason: null });
    expect(byPath('good-in-process')).toMatchObject({ status: 'LOADED', runtime: 'in-process' });
    expect(byPath('good-worker')).toMatchObject({ status: 'LOADED', runtime: 'worker' });
    expect(byPath('broken-manifest')!.status).toBe('FAILED');
    expect(byPath('broken-manifest')!.reason).toMatch(/manifest.*meshery\.pluginId/s);
    expect(byPath('register-throws')!.status).toBe('FAILED');
    expect(byPath('register-throws')!.reason).toContain('register()');
    expect(byPath('incompatible-engine')!.status).toBe('INCOMPATIBLE');
    expect(byPath('incompatible-engine')!.reason).toMatch(/requires Meshery >=99.*this server is 0\.1\.0/);
    expect(byPath('wrong-export')!.status).toBe('FAILED');
    expect(byPath('wrong-export')!.reason).toContain('definePlugin()');
    expect(byPath('zz-duplicate-id')!.status).toBe('FAILED');
    expect(byPath('zz-duplicate-id')!.reason).toContain('Duplicate plugin id');

    const { loadGenerators } = await gqlData(server.url, `{ loadGenerators { name pluginId } }`);
    const owners = loadGenerators.map((g: { pluginId: string }) => g.pluginId);
    expect(owners).toContain('perf-autocannon');
    expect(owners).not.toContain('register-throws');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});

describe('plugin configuration file', () => {
  it('checks each plugin’s settings against its configSchema and reports the file and the fault', async () => {
    const dataDir = await makeDataDir();
    // Found without any variable: <data dir>/plugins.yaml.
    await writeFile(path.join(dataDir, 'plugins.yaml'), 'good-in-process:\n  greeting: 5\nperf-autocannon: {}\n');
    const server = await startServerProcess({ dataDir, env: { MESHERY_PLUGINS_DIR: fixtures } });
    try {
      const { plugins } = await gqlData<{ plugins: { id: string; status: string; reason: string | null; path: string }[] }>(
        server.url,
        `{ plugins { id status reason path } }`,
      );
      const good = plugins.find((p) => p.path.endsWith('good-in-process'))!;
      expect(good.status).toBe('FAILED');
      expect(good.reason).toContain(`in ${path.join(dataDir, 'plugins.yaml')}`);
      expect(good.reason).toContain('greeting must be string');
      expect(plugins.find((p) => p.id === 'perf-autocannon')!.status).toBe('LOADED');
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on an unreadable configuration file, saying which file and why', async () => {
    const dataDir = await makeDataDir();
    const file = path.join(dataDir, 'broken.yaml');
    await writeFile(file, 'perf-autocannon: [unclosed\n');
    await expect(startServerProcess({ dataDir, env: { MESHERY_PLUGIN_CONFIG: file } })).rejects.toThrow(
      new RegExp(`exited with code 2[\\s\\S]*plugin configuration file ${file} is not valid YAML`),
    );
  });
});
