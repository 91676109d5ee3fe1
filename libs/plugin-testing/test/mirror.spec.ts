import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterObjects, mirrorLocation, putInMirror, serveDirectory, type StaticServer } from '../src/index.js';

describe('mirror helpers', () => {
  let root: string | undefined;
  let server: StaticServer | undefined;
  afterEach(async () => {
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
    server = undefined;
    root = undefined;
  });

  it('puts a file where the artifact service looks for its official address and serves it over HTTP', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mirror-helpers-'));
    const url = 'https://github.com/istio/istio/releases/download/1.24.0/istio-1.24.0-linux-amd64.tar.gz';
    const file = await putInMirror(root, url, 'archive bytes');
    expect(file).toBe(path.join(root, 'github.com/istio/istio/releases/download/1.24.0/istio-1.24.0-linux-amd64.tar.gz'));
    expect(file).toBe(mirrorLocation(root, url));

    server = await serveDirectory(root);
    const served = await fetch(mirrorLocation(server.url, url));
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('archive bytes');
    expect((await fetch(`${server.url}/github.com/missing`)).status).toBe(404);
    expect(server.requests).toEqual(['/github.com/istio/istio/releases/download/1.24.0/istio-1.24.0-linux-amd64.tar.gz', '/github.com/missing']);
  });

  it('never serves a file outside its directory', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mirror-helpers-'));
    const inside = path.join(root, 'inside');
    await putInMirror(inside, 'https://example.com/a.txt', 'a');
    await writeFile(path.join(root, 'secret.txt'), 'secret');
    server = await serveDirectory(inside);
    expect((await fetch(`${server.url}/example.com/a.txt`)).status).toBe(200);
    expect((await fetch(`${server.url}/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/%2E%2E/secret.txt`)).status).toBe(404);
  });

  it('lists a cluster’s objects as sorted keys, Events left out', () => {
    const cluster = {
      store: {
        list: () => [
          { key: 'apps/deployments', namespace: 'demo', name: 'web' },
          { key: 'core/events', namespace: 'demo', name: 'web.1' },
          { key: 'core/namespaces', namespace: '', name: 'demo' },
        ],
      },
    };
    expect(clusterObjects(cluster)).toEqual(['apps/deployments demo/web', 'core/namespaces /demo']);
  });
});
