import { mirrorLocation } from '@meshery/plugin-host';
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A directory served over HTTP on 127.0.0.1, with the paths it was asked for. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every path requested, in order (decoded). */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Serves the files under `root` on 127.0.0.1 (404 for anything else), e.g. an artifacts mirror
 * given to a plugin as a URL.
 *
 * @example
 * ```ts
 * const mirror = await serveDirectory(mirrorDir);
 * const host = await startPluginTestHost({ pluginDir, artifactsMirror: mirror.url });
 * ```
 */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(pathname);
    const file = path.join(root, ...pathname.split('/').filter((part) => part && part !== '..'));
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-length': info.size, 'content-type': 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Writes `content` into a mirror directory where the host's artifact service looks for the
 * official `url` (`<mirror>/<host>/<path>`), and returns that path.
 */
export async function putInMirror(mirrorDir: string, url: string, content: string | Uint8Array): Promise<string> {
  const file = mirrorLocation(mirrorDir, url);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

/**
 * The objects a Kubernetes stand-in holds, Events left out, as sorted comparable keys
 * (`<resource key> <namespace>/<name>`): compare the lists before and after to prove an operation
 * left the cluster as it found it.
 *
 * @example
 * ```ts
 * const before = clusterObjects(sim);
 * // install, use, uninstall
 * expect(clusterObjects(sim)).toEqual(before);
 * ```
 */
export function clusterObjects(cluster: { readonly store: { list(): readonly { key: string; namespace: string; name: string }[] } }): string[] {
  return cluster.store
    .list()
    .filter((ref) => !ref.key.endsWith('/events'))
    .map((ref) => `${ref.key} ${ref.namespace}/${ref.name}`)
    .sort();
}

export { mirrorLocation };
