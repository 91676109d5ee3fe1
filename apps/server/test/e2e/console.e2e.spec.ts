import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.js';

describe('the web console is served on the server’s own port', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    const dataDir = await makeDataDir();
    const webDir = path.join(dataDir, 'web');
    await mkdir(path.join(webDir, 'assets'), { recursive: true });
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Meshery console</title><div id="root"></div>');
    await writeFile(path.join(webDir, 'assets', 'app.js'), 'console.log("console");');
    server = await startServerProcess({ dataDir, env: { MESHERY_WEB_DIR: webDir } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('serves the build at /, its assets, and its own routes on reload, leaving the API alone', async () => {
    const root = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('Meshery console');
    expect(await (await fetch(`${server.url}/assets/app.js`)).text()).toContain('console.log');
    const deepLink = await fetch(`${server.url}/performance/results/123`, { headers: { accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('Meshery console');
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const missingApi = await fetch(`${server.url}/api/performance/results/nope`, { headers: { accept: 'text/html' } });
    expect(missingApi.status).toBe(404);
    const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).not.toContain('Meshery console');
  });
});
