import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData } from '../support/graphql-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

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
